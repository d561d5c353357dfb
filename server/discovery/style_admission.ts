/**
 * Keeps the vector store's `admitted` payload in line with the member record: called where the
 * server grants or withdraws admission (gate re-check, NFT verify, invite redemption). A vector
 * store that is down is logged, never fails the sign-in path: a new upload or the next admission
 * change writes the payload again.
 */
import { syncStyleAdmission } from "@/core/discovery/mod.ts";
import type { Member } from "@/core/members.ts";
import type { AppDeps } from "@/server/deps.ts";

/** Copies `member`'s admission into their photo-style points. */
export async function afterAdmissionChange(deps: AppDeps, member: Member): Promise<void> {
  try {
    await syncStyleAdmission(deps, {
      wallet: member.wallet,
      admitted: member.membership.admitted,
    });
  } catch (error) {
    deps.logger.log("warn", "vector_admission_sync_failed", {
      component: "vectors",
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
