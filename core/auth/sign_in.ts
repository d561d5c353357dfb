/** The wallet sign-in use case: verify the walletAuth payload, make sure the member exists, open a session. */
import { assertNotSuspended, ensureMember, type Member } from "@/core/members.ts";
import { createSession, type IssuedSession } from "./sessions.ts";
import { verifyWalletSignIn, type WalletSignInDeps } from "./siwe.ts";

/** A completed wallet sign-in. */
export interface WalletSignInResult {
  member: Member;
  /** The new session; its `id` goes into the session cookie. */
  session: IssuedSession;
}

/**
 * Verifies `payload` (see {@link verifyWalletSignIn} for the error codes), creates the member on first
 * sign-in and opens a new session. Nothing is written unless verification succeeds; a suspended
 * member gets ForbiddenError `member_suspended` and no session.
 */
export async function signInWithWallet(
  deps: WalletSignInDeps & { sessionTtlSeconds?: number },
  payload: unknown,
): Promise<WalletSignInResult> {
  const verified = await verifyWalletSignIn(deps, payload);
  const member = await ensureMember(deps.kv, deps.clock, verified.wallet);
  assertNotSuspended(member);
  const session = await createSession(deps.kv, deps.clock, {
    wallet: verified.wallet,
    method: "siwe",
    ttlSeconds: deps.sessionTtlSeconds,
  });
  return { member, session };
}
