/** Vault access: keeps a member's gate-NFT admission in line with what the chain says. */
import type { Clock } from "@/core/clock.ts";
import { getMember, grantMembership, type Member, revokeGateMembership } from "@/core/members.ts";
import type { GateChecker, GateStatus } from "./gate.ts";

/** Result of {@link refreshGateAdmission}. */
export interface GateAdmission {
  member: Member;
  gate: GateStatus;
  /** True when admission changed: the HTTP layer rotates the session id. */
  membershipChanged: boolean;
}

/**
 * Re-checks the gate NFT for a signed-in member (cached unless `fresh`) and admits or un-admits them:
 * holding the NFT admits a World ID–verified member; losing it withdraws a gate-based admission.
 * Members who are not World ID–verified yet are left unadmitted.
 */
export async function refreshGateAdmission(
  deps: { kv: Deno.Kv; clock: Clock; gate: GateChecker },
  wallet: string,
  options: { fresh?: boolean } = {},
): Promise<GateAdmission | null> {
  const member = await getMember(deps.kv, wallet);
  if (!member) return null;
  const gate = await deps.gate.check(member.wallet, options);
  if (gate.holdsGateNft && member.worldId) {
    const granted = await grantMembership(deps.kv, deps.clock, member.wallet, { via: "gate_nft" });
    return { member: granted.member, gate, membershipChanged: granted.changed };
  }
  if (!gate.holdsGateNft) {
    const revoked = await revokeGateMembership(deps.kv, deps.clock, member.wallet);
    return { member: revoked.member, gate, membershipChanged: revoked.changed };
  }
  return { member, gate, membershipChanged: false };
}
