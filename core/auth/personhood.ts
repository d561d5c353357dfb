/** Proof of personhood: a verified World ID proof makes its nullifier the member's unique human key. */
import type { Clock } from "@/core/clock.ts";
import { BadRequestError, UnprocessableError } from "@/core/errors.ts";
import {
  bindNullifier,
  getDepartedNullifier,
  getMemberByNullifier,
  hashDepartedNullifier,
  type Member,
  normalizeWallet,
} from "@/core/members.ts";
import { type WorldIdPortalClient, worldIdProofSchema } from "./worldid.ts";

/** Result of {@link verifyPersonhood}. */
export interface PersonhoodResult {
  member: Member;
  /** `verified` for a first verification; `welcome_back` when this human had verified this wallet before. */
  outcome: "verified" | "welcome_back";
}

/**
 * Verifies a World ID proof for the signed-in `wallet` (the proof's signal) and binds its nullifier to
 * the wallet. `max_verifications_reached` is a welcome back only when the nullifier is already this
 * wallet's; for another wallet it is ConflictError(`worldid_nullifier_taken`); for a nullifier we have
 * never bound it is UnprocessableError(`worldid_unknown_returning_human`), because then the portal's
 * answer proves nothing about this wallet — unless it belonged to a deleted account (its HMAC under
 * `departedSecret` is kept): within the cool-off that is ForbiddenError(`worldid_cooling_off`), after
 * it the human opens a fresh account.
 */
export async function verifyPersonhood(
  deps: { kv: Deno.Kv; clock: Clock; portal: WorldIdPortalClient; departedSecret?: string },
  wallet: string,
  input: unknown,
): Promise<PersonhoodResult> {
  const proof = worldIdProofSchema.safeParse(input);
  if (!proof.success) {
    throw new BadRequestError("worldid_invalid_payload", "Expected a World ID proof.");
  }
  const walletKey = normalizeWallet(wallet);
  const answer = await deps.portal.verify(proof.data, walletKey);

  if (answer.status === "max_verifications_reached") {
    const owner = await getMemberByNullifier(deps.kv, answer.nullifierHash);
    const departed = !owner && deps.departedSecret
      ? await getDepartedNullifier(
        deps.kv,
        await hashDepartedNullifier(deps.departedSecret, answer.nullifierHash),
      )
      : null;
    if (!owner && !departed) {
      throw new UnprocessableError(
        "worldid_unknown_returning_human",
        "This World ID was used before, but not with this app's records.",
      );
    }
  }
  const binding = await bindNullifier(deps.kv, deps.clock, walletKey, {
    nullifierHash: answer.nullifierHash,
    verificationLevel: answer.verificationLevel,
  }, { departedSecret: deps.departedSecret });
  return {
    member: binding.member,
    outcome: answer.status === "verified" && binding.outcome === "bound"
      ? "verified"
      : "welcome_back",
  };
}
