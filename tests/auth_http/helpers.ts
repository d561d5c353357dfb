/** Builds the real app for HTTP-level auth tests and signs requests in with cookies. */
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import type { AppDepsInput } from "@/server/app.ts";
import type { FreshConfig } from "$fresh/server.ts";
import {
  type Address,
  createTestClient,
  hashMessage,
  type HDAccount,
  http,
  type LocalAccount,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { worldchain } from "viem/chains";
import type { TestChain } from "@/tests/helpers/chain.ts";
import { createSiweMessage } from "viem/siwe";

export const ORIGIN = "http://localhost:8000";

/** A test app on `:memory:` KV; close it with `close()`. */
export async function testApp(
  env: Record<string, string> = {},
  deps: Partial<AppDepsInput> = {},
  overrides: FreshConfig = {},
) {
  const kv = await Deno.openKv(":memory:");
  const logger = createMemoryLogger();
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-auth-" });
  const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: "true", DATA_DIR: dataDir, ...env });
  const app = await createApp({ kv, logger, config, ...deps }, overrides);
  return {
    app,
    kv,
    logs: logger.entries,
    fetch: (path: string, init: RequestInit = {}) => app.fetch(new Request(ORIGIN + path, init)),
    close: async () => {
      await app.deps.cache.close();
      await app.deps.ml.close?.();
      await app.deps.vectors.close();
      kv.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** A running test app. */
export type TestApp = Awaited<ReturnType<typeof testApp>>;

/** The `aurum_session` value a response sets, if any. */
export function sessionCookie(res: Response): string | null {
  for (const line of res.headers.getSetCookie()) {
    const match = line.match(/^aurum_session=([^;]*)/);
    if (match) return match[1] || null;
  }
  return null;
}

/** Request init for a same-origin JSON POST with an optional session cookie. */
export function post(body: unknown, cookie?: string | null): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json", origin: ORIGIN };
  if (cookie) headers.cookie = `aurum_session=${cookie}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}

/** Request init carrying the session cookie. */
export function withCookie(cookie: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("cookie", `aurum_session=${cookie}`);
  headers.set("origin", ORIGIN);
  return { ...init, headers };
}

/** Signs in as a development persona and returns the session cookie value. */
export async function signInAs(
  t: TestApp,
  persona: string,
): Promise<string> {
  const res = await t.fetch("/api/auth/dev", post({ persona }));
  if (res.status !== 200) throw new Error(`dev sign-in failed: ${res.status} ${await res.text()}`);
  await res.body?.cancel();
  return sessionCookie(res)!;
}

/** Anvil's default account `index` (the well-known test mnemonic; funded on every anvil). */
export function anvilAccount(index: number): HDAccount {
  return mnemonicToAccount("test test test test test test test test test test test junk", {
    addressIndex: index,
  });
}

/**
 * Puts an EIP-1271 contract wallet (TestSafeWallet, owned by `owner`) at `address` on anvil — for
 * wallets with no known key, like World App's Safes (and the World ID recordings' first wallet).
 */
export async function installContractWalletAt(
  chain: TestChain,
  address: Address,
  owner: Address,
): Promise<void> {
  const template = await chain.deploySafeWallet(owner);
  const bytecode = await chain.publicClient.getCode({ address: template });
  if (!bytecode) throw new Error("the template wallet has no code");
  const testClient = createTestClient({
    chain: worldchain,
    mode: "anvil",
    transport: http(chain.anvil.rpcUrl, { retryCount: 0 }),
  });
  await testClient.setCode({ address, bytecode });
}

/** Fields of the sign-in message a test may change. */
export type SiweOverrides = Partial<Parameters<typeof createSiweMessage>[0]>;

/**
 * The EIP-4361 message MiniKit 1.11's `walletAuth` builds inside World App for a mini-app served at
 * `http://localhost:8000/signin`: scheme and host from `location`, URI = `location.href`, chain 480,
 * our nonce, `Issued At` now (`now`: the app's clock).
 */
export function walletAuthMessage(
  address: Address,
  nonce: string,
  overrides: SiweOverrides = {},
  now = Date.now(),
): string {
  return createSiweMessage({
    scheme: "http",
    domain: "localhost:8000",
    address,
    statement: "Enter the Aurum Circle",
    uri: `${ORIGIN}/signin`,
    version: "1",
    chainId: 480,
    nonce,
    issuedAt: new Date(now),
    ...overrides,
  });
}

/** `GET /api/auth/nonce` → the nonce. */
export async function fetchNonce(t: TestApp): Promise<string> {
  const res = await t.fetch("/api/auth/nonce");
  if (res.status !== 200) throw new Error(`nonce failed: ${res.status} ${await res.text()}`);
  return (await res.json()).nonce;
}

/** A walletAuth success payload, as MiniKit posts it, signed by an externally owned account. */
export async function eoaWalletAuth(
  t: TestApp,
  account: LocalAccount,
  overrides: SiweOverrides = {},
) {
  const nonce = await fetchNonce(t);
  const message = walletAuthMessage(account.address, nonce, overrides, t.app.deps.clock.now());
  const signature = await account.signMessage({ message });
  return { status: "success", message, signature, address: account.address, version: 2 };
}

/**
 * A walletAuth success payload for a contract wallet: its owner signs the EIP-191 hash of the
 * message and the wallet vouches for it through EIP-1271.
 */
export async function contractWalletAuth(
  t: TestApp,
  wallet: Address,
  owner: LocalAccount,
  overrides: SiweOverrides = {},
) {
  const nonce = await fetchNonce(t);
  const message = walletAuthMessage(wallet, nonce, overrides, t.app.deps.clock.now());
  const signature = await owner.sign!({ hash: hashMessage(message) });
  return { status: "success", message, signature, address: wallet, version: 2 };
}

/**
 * Signs in over HTTP (nonce → walletAuth → `/api/auth/wallet`) with `account`, or with the contract
 * wallet `wallet` that `account` owns; returns the session cookie.
 */
export async function signInWithWallet(
  t: TestApp,
  account: LocalAccount,
  wallet?: Address,
): Promise<string> {
  const payload = wallet
    ? await contractWalletAuth(t, wallet, account)
    : await eoaWalletAuth(t, account);
  const res = await t.fetch("/api/auth/wallet", post(payload));
  if (res.status !== 200) {
    throw new Error(`wallet sign-in failed: ${res.status} ${await res.text()}`);
  }
  await res.body?.cancel();
  return sessionCookie(res)!;
}

/** Number of KV entries under `prefix` (e.g. `["sessions"]`). */
export async function countKeys(kv: Deno.Kv, prefix: Deno.KvKey): Promise<number> {
  let count = 0;
  for await (const _ of kv.list({ prefix })) count++;
  return count;
}

/** `GET /api/auth/session` with `cookie`: its status and JSON body (null unless 200). */
export async function sessionOf(t: TestApp, cookie: string) {
  const res = await t.fetch("/api/auth/session", withCookie(cookie));
  const body = await res.json();
  return { status: res.status, body: res.status === 200 ? body : null };
}
