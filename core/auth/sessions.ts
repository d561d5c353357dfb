/**
 * Sessions: a random opaque id (the cookie value) maps to a KV record with an expiry and a
 * revocation mark. Only the SHA-256 of the id is stored, so a KV dump does not reveal live cookies.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { walletSchema } from "@/core/members.ts";
import { randomToken, sha256Hex } from "./random.ts";

/** Default session lifetime: 14 days. */
export const DEFAULT_SESSION_TTL_SECONDS = 14 * 24 * 60 * 60;

const sessionIdShape = /^[A-Za-z0-9_-]{43}$/;

const sessionRecordSchema = z.object({
  wallet: walletSchema,
  method: z.enum(["siwe", "dev"]),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});

/** A stored session (without its id, which only the cookie holds). */
export type Session = z.infer<typeof sessionRecordSchema>;

/** How the member signed in. */
export type SignInMethod = Session["method"];

/** A newly created session and the opaque id to put in the cookie. */
export interface IssuedSession {
  id: string;
  session: Session;
}

/** KV key of a session record, by hashed id. */
const sessionKey = (idHash: string): Deno.KvKey => ["sessions", idHash];
/** KV key of a wallet's session index entry. */
const walletSessionKey = (wallet: string, idHash: string): Deno.KvKey => [
  "sessions_by_wallet",
  wallet,
  idHash,
];

/** Options for {@link createSession}. */
export interface CreateSessionOptions {
  wallet: string;
  method: SignInMethod;
  ttlSeconds?: number;
}

/** Builds the record and writes it (and its wallet index entry) into `atomic`. */
async function addNewSession(
  atomic: Deno.AtomicOperation,
  clock: Clock,
  options: CreateSessionOptions,
): Promise<IssuedSession> {
  const id = randomToken(32);
  const idHash = await sha256Hex(id);
  const ttlMs = (options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS) * 1000;
  const now = clock.now();
  const session: Session = {
    wallet: options.wallet.toLowerCase(),
    method: options.method,
    createdAt: now,
    expiresAt: now + ttlMs,
    revokedAt: null,
  };
  atomic
    .check({ key: sessionKey(idHash), versionstamp: null })
    .set(sessionKey(idHash), session, { expireIn: ttlMs })
    .set(walletSessionKey(session.wallet, idHash), true, { expireIn: ttlMs });
  return { id, session };
}

/** Creates a session for `wallet` and returns the id for the cookie. */
export async function createSession(
  kv: Deno.Kv,
  clock: Clock,
  options: CreateSessionOptions,
): Promise<IssuedSession> {
  const atomic = kv.atomic();
  const issued = await addNewSession(atomic, clock, options);
  const result = await atomic.commit();
  if (!result.ok) throw new Error("session id collision");
  return issued;
}

/** Reads the session record for a cookie value, with its versionstamp, if the id is well-formed. */
async function readSession(kv: Deno.Kv, id: string) {
  if (!sessionIdShape.test(id)) return null;
  const idHash = await sha256Hex(id);
  const entry = await kv.get(sessionKey(idHash));
  if (entry.versionstamp === null) return null;
  const parsed = sessionRecordSchema.safeParse(entry.value);
  if (!parsed.success) return null;
  return { idHash, session: parsed.data, versionstamp: entry.versionstamp };
}

/** True when the session may be used at `now`. */
function isActive(session: Session, now: number): boolean {
  return session.revokedAt === null && now < session.expiresAt;
}

/** Returns the live session for a cookie value, or null when unknown, expired or revoked. */
export async function getSession(kv: Deno.Kv, clock: Clock, id: string): Promise<Session | null> {
  const found = await readSession(kv, id);
  if (!found || !isActive(found.session, clock.now())) return null;
  return found.session;
}

/**
 * Replaces a live session with a new id (same wallet and method, fresh expiry), atomically;
 * call on sign-in and on membership change. Returns null when the old session is not live.
 */
export async function rotateSession(
  kv: Deno.Kv,
  clock: Clock,
  id: string,
  ttlSeconds?: number,
): Promise<IssuedSession | null> {
  const found = await readSession(kv, id);
  if (!found || !isActive(found.session, clock.now())) return null;
  const atomic = kv.atomic()
    .check({ key: sessionKey(found.idHash), versionstamp: found.versionstamp })
    .delete(sessionKey(found.idHash))
    .delete(walletSessionKey(found.session.wallet, found.idHash));
  const issued = await addNewSession(atomic, clock, {
    wallet: found.session.wallet,
    method: found.session.method,
    ttlSeconds,
  });
  const result = await atomic.commit();
  return result.ok ? issued : null;
}

/** Marks a session revoked (kept until it would have expired, so the id stays dead). */
export async function revokeSession(kv: Deno.Kv, clock: Clock, id: string): Promise<boolean> {
  const found = await readSession(kv, id);
  if (!found || found.session.revokedAt !== null) return false;
  const revoked: Session = { ...found.session, revokedAt: clock.now() };
  const remainingMs = Math.max(1_000, found.session.expiresAt - clock.now());
  const result = await kv.atomic()
    .check({ key: sessionKey(found.idHash), versionstamp: found.versionstamp })
    .set(sessionKey(found.idHash), revoked, { expireIn: remainingMs })
    .commit();
  return result.ok;
}

/** Deletes a session (logout). Unknown ids are ignored. */
export async function deleteSession(kv: Deno.Kv, id: string): Promise<void> {
  const found = await readSession(kv, id);
  if (!found) return;
  await kv.atomic()
    .delete(sessionKey(found.idHash))
    .delete(walletSessionKey(found.session.wallet, found.idHash))
    .commit();
}

/** Deletes every session of `wallet` ("sign out everywhere", account deletion). Returns how many. */
export async function deleteWalletSessions(kv: Deno.Kv, wallet: string): Promise<number> {
  let deleted = 0;
  const prefix = ["sessions_by_wallet", wallet.toLowerCase()];
  for await (const entry of kv.list({ prefix })) {
    const idHash = String(entry.key[2]);
    await kv.atomic().delete(sessionKey(idHash)).delete(entry.key).commit();
    deleted++;
  }
  return deleted;
}

/** The stored sessions of `wallet` (live, revoked or expired but not yet removed), without ids. */
export async function listWalletSessions(kv: Deno.Kv, wallet: string): Promise<Session[]> {
  const sessions: Session[] = [];
  const prefix = ["sessions_by_wallet", wallet.toLowerCase()];
  for await (const entry of kv.list({ prefix })) {
    const record = await kv.get(sessionKey(String(entry.key[2])));
    const parsed = sessionRecordSchema.safeParse(record.value);
    if (parsed.success) sessions.push(parsed.data);
  }
  return sessions;
}
