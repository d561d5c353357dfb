/** Fixtures for the profile HTTP tests: the real app, admitted members with sessions, JSON calls. */
import { createSession } from "@/core/auth/sessions.ts";
import { getProfileByWallet } from "@/core/profiles/mod.ts";
import { blockMember } from "@/core/social/safety.ts";
import { sendSignal } from "@/core/social/signals.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import type { AppDepsInput } from "@/server/app.ts";
import { ORIGIN, type TestApp, testApp, withCookie } from "@/tests/auth_http/helpers.ts";
import { admittedMember, recordMainPhotoIn, validInput } from "@/tests/profiles/_helpers.ts";

export { ORIGIN, type TestApp, validInput, withCookie };

/** A signed-in admitted member. */
export interface TestMember {
  wallet: string;
  cookie: string;
}

/** The real app on `:memory:` KV and the store `env` configures (a temp folder by default). */
export async function profilesApp(
  env: Record<string, string> = {},
  deps: Partial<AppDepsInput> = {},
): Promise<TestApp> {
  const t = await testApp(env, deps);
  const close = t.close;
  t.close = async () => {
    await t.app.deps.objects.close();
    await close();
  };
  return t;
}

/** Runs `body` with a fresh app and closes it afterwards. */
export async function withApp(
  body: (t: TestApp) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const t = await profilesApp(env);
  try {
    await body(t);
  } finally {
    await t.close();
  }
}

/** An admitted member (World ID orb + gate NFT) with a session cookie. */
export async function newMember(t: TestApp): Promise<TestMember> {
  const { kv, clock } = t.app.deps;
  const wallet = await admittedMember(kv, clock as Parameters<typeof admittedMember>[1]);
  const { id } = await createSession(kv, clock, { wallet, method: "dev", ttlSeconds: 3600 });
  return { wallet, cookie: id };
}

/** Request init: `method` with a JSON body and the member's cookie. */
export function sendJson(method: string, body: unknown, member?: TestMember): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json", origin: ORIGIN };
  if (member) headers.cookie = `aurum_session=${member.cookie}`;
  return { method, headers, body: JSON.stringify(body) };
}

/** Request init carrying the member's cookie. */
export function as(member: TestMember, init: RequestInit = {}): RequestInit {
  return withCookie(member.cookie, init);
}

/** Creates the member's profile over HTTP and returns the owner view. */
export async function createProfileOver(
  t: TestApp,
  member: TestMember,
  overrides: Record<string, unknown> = {},
) {
  const res = await t.fetch("/api/profiles", sendJson("POST", validInput(overrides), member));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()).profile;
}

/**
 * Records a main photo (one prominent face) on the profile of `member` straight in KV, without
 * objects: enough for pages that only need the member to have one (the vault asks for it).
 */
export async function recordMainPhoto(t: TestApp, member: TestMember): Promise<void> {
  const { kv, clock } = t.app.deps;
  const profile = await getProfileByWallet({ kv, clock }, member.wallet);
  if (!profile) throw new Error("the member has no profile");
  await recordMainPhotoIn(kv, profile);
}

/** Makes `a` and `b` a mutual match. */
export async function match(t: TestApp, a: TestMember, b: TestMember): Promise<void> {
  const { kv, clock } = t.app.deps;
  await sendSignal(kv, clock, { from: a.wallet, to: b.wallet });
  await sendSignal(kv, clock, { from: b.wallet, to: a.wallet });
}

/** `blocker` blocks `blocked`. */
export async function block(t: TestApp, blocker: TestMember, blocked: TestMember) {
  await blockMember(t.app.deps.kv, t.app.deps.clock, blocker.wallet, blocked.wallet);
}

/** Every object key in the store. */
export async function allObjectKeys(objects: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await objects.list("", { cursor });
    keys.push(...page.values.map((v) => v.key));
    cursor = page.cursor || undefined;
  } while (cursor);
  return keys.sort();
}

/** Number of KV entries under `prefix`. */
export async function countEntries(kv: Deno.Kv, prefix: Deno.KvKey): Promise<number> {
  let count = 0;
  for await (const _ of kv.list({ prefix })) count++;
  return count;
}

/** Reads a response body fully. */
export async function bytesOf(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

/** A `YYYY-MM-DD` date `years` years (and `days` days) before `now`. */
export function yearsAgo(now: number, years: number, days = 0): string {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}
