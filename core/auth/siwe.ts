/**
 * Wallet sign-in (MiniKit `walletAuth`, i.e. EIP-4361 "Sign-In with Ethereum").
 * The message is parsed (never rebuilt) with viem's `parseSiweMessage`, every field is checked against
 * our expectations with a distinct error code, and the signature is verified offline by ECDSA
 * recovery for plain accounts; only a signature that does not recover to the address goes to viem's
 * `verifySiweMessage` on our own chain client, for EIP-1271 `isValidSignature` / ERC-6492 (contract
 * wallets: World App wallets are Safes). A plain account signs in with no chain configured.
 */
import { type Address, getAddress, type Hex, recoverMessageAddress } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { BadRequestError, ServiceUnavailableError, UnauthorizedError } from "@/core/errors.ts";
import { walletAddressSchema } from "@/core/members.ts";
import { assertNonceUsable, consumeNonce } from "./nonces.ts";

/** Largest SIWE message accepted, in characters. */
const MAX_MESSAGE_LENGTH = 4_096;

/** MiniKit's walletAuth success payload, as posted by the client. */
export const walletAuthPayloadSchema = z.object({
  status: z.literal("success"),
  message: z.string().min(1).max(MAX_MESSAGE_LENGTH),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/).max(20_000),
  address: walletAddressSchema(),
  version: z.number().int().nonnegative(),
});

/** A validated walletAuth payload. */
export type WalletAuthPayload = z.infer<typeof walletAuthPayloadSchema>;

const parsedMessageSchema = z.object({
  domain: z.string().min(1),
  address: walletAddressSchema(),
  uri: z.string().min(1),
  version: z.literal("1"),
  chainId: z.number().int().positive(),
  nonce: z.string().regex(/^[A-Za-z0-9]{8,}$/),
  issuedAt: z.date(),
  expirationTime: z.date().optional(),
  notBefore: z.date().optional(),
  scheme: z.string().optional(),
  statement: z.string().optional(),
  requestId: z.string().optional(),
  resources: z.array(z.string()).optional(),
});

/** The fields of a verified sign-in message that callers may need. */
export type SiweFields = z.infer<typeof parsedMessageSchema>;

/** What a message must say to be accepted by this deployment. */
export interface SiweExpectations {
  /** Our origin, `scheme://host[:port]`: the message's domain must be its host and its URI on it. */
  origin: string;
  /** The configured chain id (480 for World Chain). */
  chainId: number;
  /** How old `Issued At` may be; default 5 minutes. */
  maxIssuedAtAgeSeconds?: number;
  /** Tolerated clock difference for `Issued At` in the future; default 60 s. */
  clockSkewSeconds?: number;
}

/** The viem public-client capability used to check signatures (EOA, then EIP-1271). */
export interface SiweSignatureVerifier {
  verifySiweMessage(args: {
    message: string;
    signature: Hex;
    address?: Address;
    time?: Date;
  }): Promise<boolean>;
  /** Any cheap RPC; used to tell "bad signature" from "chain unreachable" (viem folds both into false). */
  getChainId(): Promise<number>;
}

/** What {@link verifyWalletSignIn} needs. */
export interface WalletSignInDeps {
  kv: Deno.Kv;
  clock: Clock;
  chain: SiweSignatureVerifier;
  expected: SiweExpectations;
}

/** A successful wallet sign-in. */
export interface VerifiedWalletSignIn {
  /** The wallet, lowercased: the member key. */
  wallet: string;
  /** The wallet with EIP-55 checksum, for display. */
  address: Address;
  fields: SiweFields;
}

/** Fails with an UnauthorizedError carrying `code`. */
function reject(code: string, message: string): never {
  throw new UnauthorizedError(code, message);
}

/** Each labelled line may appear at most once; a message with duplicates is ambiguous. */
function hasDuplicateFieldLines(message: string): boolean {
  const labels = [
    "URI",
    "Version",
    "Chain ID",
    "Nonce",
    "Issued At",
    "Expiration Time",
    "Not Before",
  ];
  return labels.some((label) => message.split(`\n${label}: `).length > 2);
}

/** Parses the message strictly; throws `siwe_malformed_message` when it is not a valid EIP-4361 message. */
export function parseSignInMessage(message: string): SiweFields {
  if (hasDuplicateFieldLines(message)) {
    reject("siwe_malformed_message", "The sign-in message repeats a field.");
  }
  const parsed = parsedMessageSchema.safeParse(parseSiweMessage(message));
  if (!parsed.success) {
    reject("siwe_malformed_message", "The sign-in message is not valid EIP-4361.");
  }
  return parsed.data; // zod's z.date() also rejects the Invalid Date of a malformed timestamp
}

/** Checks domain, URI, chain, address and time fields; each failure has its own code. */
export function checkSignInFields(
  fields: SiweFields,
  payloadAddress: string,
  expected: SiweExpectations,
  now: number,
): void {
  const origin = new URL(expected.origin);
  const expectedScheme = origin.protocol.replace(/:$/, "");
  if (fields.domain !== origin.host || (fields.scheme && fields.scheme !== expectedScheme)) {
    reject("siwe_wrong_domain", `The message is for ${fields.domain}, not ${origin.host}.`);
  }
  let uri: URL;
  try {
    uri = new URL(fields.uri);
  } catch {
    reject("siwe_wrong_uri", "The message URI is not a URL.");
  }
  if (uri.origin !== origin.origin) {
    reject("siwe_wrong_uri", `The message URI is not on ${origin.origin}.`);
  }
  if (fields.chainId !== expected.chainId) {
    reject(
      "siwe_wrong_chain",
      `The message is for chain ${fields.chainId}, not ${expected.chainId}.`,
    );
  }
  if (fields.address.toLowerCase() !== payloadAddress.toLowerCase()) {
    reject("siwe_address_mismatch", "The signed address differs from the submitted address.");
  }
  const maxAgeMs = (expected.maxIssuedAtAgeSeconds ?? 300) * 1000;
  const skewMs = (expected.clockSkewSeconds ?? 60) * 1000;
  const issuedAt = fields.issuedAt.getTime();
  if (issuedAt > now + skewMs) {
    reject("siwe_issued_at_in_future", "The message was issued in the future.");
  }
  if (now - issuedAt > maxAgeMs) {
    reject("siwe_issued_at_too_old", "The message was issued too long ago.");
  }
  if (fields.expirationTime && now >= fields.expirationTime.getTime()) {
    reject("siwe_expired", "The sign-in message has expired.");
  }
  if (fields.notBefore && now < fields.notBefore.getTime()) {
    reject("siwe_not_yet_valid", "The sign-in message is not valid yet.");
  }
}

/** True when `signature` is an ECDSA signature of `message` by `address` (checked offline). */
async function signedByKeyOf(message: string, signature: Hex, address: Address): Promise<boolean> {
  try {
    return (await recoverMessageAddress({ message, signature })) === address;
  } catch {
    return false; // not a plain ECDSA signature (a contract wallet's, or malformed)
  }
}

/** Throws ServiceUnavailableError(`chain_unavailable`) when the chain RPC does not answer. */
async function assertChainReachable(chain: SiweSignatureVerifier): Promise<void> {
  try {
    await chain.getChainId();
  } catch {
    throw new ServiceUnavailableError(
      "chain_unavailable",
      "Could not reach the chain to check a contract-wallet signature.",
    );
  }
}

/**
 * Verifies a walletAuth payload end to end and consumes its nonce.
 * Throws BadRequestError(`siwe_invalid_payload`), UnauthorizedError (`siwe_*` codes) or
 * ServiceUnavailableError(`chain_unavailable`).
 */
export async function verifyWalletSignIn(
  deps: WalletSignInDeps,
  input: unknown,
): Promise<VerifiedWalletSignIn> {
  const payload = walletAuthPayloadSchema.safeParse(input);
  if (!payload.success) {
    throw new BadRequestError("siwe_invalid_payload", "Expected a walletAuth success payload.");
  }
  const { message, signature, address } = payload.data;
  const fields = parseSignInMessage(message);
  const now = deps.clock.now();
  checkSignInFields(fields, address, deps.expected, now);
  await assertNonceUsable(deps.kv, deps.clock, fields.nonce);

  const signer = getAddress(fields.address);
  let valid = await signedByKeyOf(message, signature as Hex, signer);
  if (!valid) {
    try {
      valid = await deps.chain.verifySiweMessage({
        message,
        signature: signature as Hex,
        address: signer,
        time: new Date(now),
      });
    } catch {
      valid = false; // told apart from an outage just below
    }
  }
  if (!valid) {
    await assertChainReachable(deps.chain);
    reject("siwe_bad_signature", "The signature does not match the message and address.");
  }

  await consumeNonce(deps.kv, deps.clock, fields.nonce);
  return { wallet: fields.address.toLowerCase(), address: signer, fields };
}
