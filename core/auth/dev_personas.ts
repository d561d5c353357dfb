/**
 * Development sign-in: fixed personas that let the whole app be used in a normal browser without
 * World App. Each persona has a deterministic wallet and (when verified) a synthetic nullifier that no
 * real World ID can produce collisions with in practice. Never available in production.
 */
import { keccak256, stringToBytes } from "viem";
import type { Clock } from "@/core/clock.ts";
import { ForbiddenError, NotFoundError } from "@/core/errors.ts";
import {
  assertNotSuspended,
  bindNullifier,
  ensureMember,
  getMember,
  grantMembership,
  type Member,
  revokeGateMembership,
} from "@/core/members.ts";
import { createSession, type IssuedSession } from "./sessions.ts";

/** A development persona as offered by the persona picker. */
export interface DevPersona {
  id: string;
  label: string;
  description: string;
  /** Whether the persona is World ID–verified. */
  verified: boolean;
  /** How the persona is admitted, if at all. */
  admittedVia: "gate_nft" | "invite" | null;
  /** Deterministic wallet address (lowercase). */
  wallet: string;
}

/** Derives a stable, obviously synthetic 20-byte address from a label. */
function personaWallet(id: string): string {
  return `0x${keccak256(stringToBytes(`aurum-dev-persona:${id}`)).slice(-40)}`;
}

/** Derives a stable synthetic nullifier hash from a label. */
function personaNullifier(id: string): string {
  const field = BigInt(keccak256(stringToBytes(`aurum-dev-nullifier:${id}`))) >> 8n;
  return `0x${field.toString(16).padStart(64, "0")}`;
}

/** The personas, in picker order. */
export const DEV_PERSONAS: readonly DevPersona[] = ([
  {
    id: "newcomer",
    label: "Newcomer",
    description: "Signed in with a wallet, not yet verified with World ID.",
    verified: false,
    admittedVia: null,
  },
  {
    id: "seeker",
    label: "Seeker",
    description: "Verified human without a gate NFT or invite: waits at the gate.",
    verified: true,
    admittedVia: null,
  },
  {
    id: "keyholder",
    label: "Keyholder",
    description: "Verified human holding the gate NFT.",
    verified: true,
    admittedVia: "gate_nft",
  },
  {
    id: "invitee",
    label: "Invitee",
    description: "Verified human admitted by a member's invite.",
    verified: true,
    admittedVia: "invite",
  },
] satisfies Omit<DevPersona, "wallet">[]).map((persona) => ({
  ...persona,
  wallet: personaWallet(persona.id),
}));

/** Throws at startup when development sign-in is enabled in production. */
export function assertDevSignInAllowed(environment: string, devSignInEnabled: boolean): void {
  if (devSignInEnabled && environment === "production") {
    throw new Error("Development sign-in must not be enabled in production.");
  }
}

/**
 * Signs in as a persona (ForbiddenError `dev_sign_in_disabled` unless `enabled`), bringing the member
 * record to the persona's state, and opens a `dev` session (ForbiddenError `member_suspended` for a
 * suspended persona).
 */
export async function signInAsDevPersona(
  deps: { kv: Deno.Kv; clock: Clock; enabled: boolean; sessionTtlSeconds?: number },
  personaId: string,
): Promise<{ member: Member; session: IssuedSession; persona: DevPersona }> {
  if (!deps.enabled) {
    throw new ForbiddenError("dev_sign_in_disabled", "Development sign-in is not enabled.");
  }
  const persona = DEV_PERSONAS.find((candidate) => candidate.id === personaId);
  if (!persona) throw new NotFoundError("dev_persona_unknown", "No such development persona.");
  const { kv, clock } = deps;
  assertNotSuspended(await ensureMember(kv, clock, persona.wallet));
  if (persona.verified) {
    await bindNullifier(kv, clock, persona.wallet, {
      nullifierHash: personaNullifier(persona.id),
      verificationLevel: "device",
    });
  }
  if (persona.admittedVia === "invite") {
    await grantMembership(kv, clock, persona.wallet, { via: "invite", inviteId: "dev-invite" });
  } else if (persona.admittedVia === "gate_nft") {
    await grantMembership(kv, clock, persona.wallet, { via: "gate_nft" });
  } else {
    await revokeGateMembership(kv, clock, persona.wallet);
  }
  const member = await getMember(kv, persona.wallet);
  if (!member) throw new Error("persona member vanished");
  const session = await createSession(kv, clock, {
    wallet: persona.wallet,
    method: "dev",
    ttlSeconds: deps.sessionTtlSeconds,
  });
  return { member, session, persona };
}
