/** What the signed-in member sees about themselves (`GET /api/auth/session` and sign-in answers). */
import { getAddress } from "viem";
import type { Member } from "@/core/members.ts";

/** The member's own view: wallet, World ID level and vault admission. */
export function sessionView(member: Member) {
  return {
    user: { id: member.wallet, address: getAddress(member.wallet), displayName: null },
    verification: {
      worldId: member.worldId ? { level: member.worldId.verificationLevel } : null,
    },
    membership: { admitted: member.membership.admitted, via: member.membership.via },
  };
}
