/**
 * What the profile routes and pages hand to `core/profiles`: the app's backends plus match and block
 * checks, and the member's own profile as its owner sees it.
 */
import type { Member } from "@/core/members.ts";
import { getProfileByWallet, type OwnerProfileView, ownerView } from "@/core/profiles/mod.ts";
import type { Profile } from "@/core/profiles/mod.ts";
import type { MemberObjectDeps } from "@/core/storage/member_objects.ts";
import { getMatch, isBlocked } from "@/core/social/mod.ts";
import { photoRecordHooks, type ScoringDeps } from "@/core/scoring/mod.ts";
import type { AppDeps, SignedInState } from "@/server/deps.ts";

/** Profile, discovery and photo dependencies built from the app's. */
export function profileDeps(deps: AppDeps) {
  const { kv, clock, cache, objects, ml } = deps;
  return {
    kv,
    clock,
    cache,
    objects,
    ml,
    photoRecords: photoRecordHooks(scoringDeps(deps)),
    isMatched: async (a: string, b: string) => (await getMatch(kv, a, b)) !== null,
    isBlocked: (a: string, b: string) => isBlocked(kv, a, b),
  };
}

/** Scoring dependencies built from the app's; failures after a commit go to the log. */
export function scoringDeps(deps: AppDeps): ScoringDeps {
  const { kv, clock, cache, objects, ml, vectors, logger } = deps;
  return {
    kv,
    clock,
    cache,
    objects,
    ml,
    vectors,
    logFailure: (event, fields) => logger.log("error", event, { component: "scoring", ...fields }),
  };
}

/** Dependencies of the member-object functions. */
export function memberObjectDeps(deps: AppDeps): MemberObjectDeps {
  return { objects: deps.objects, kv: deps.kv, appSecret: deps.config.appSecret };
}

/** The signed-in member's view of their own profile. */
export function ownProfileView(state: SignedInState, profile: Profile): OwnerProfileView {
  return asOwner(state.deps, state.member, profile);
}

/** The member's own profile as its owner sees it, or null when they have none. */
export async function ownProfile(state: SignedInState): Promise<OwnerProfileView | null> {
  const { deps, member } = state;
  const profile = state.ownProfileRecord !== undefined
    ? state.ownProfileRecord
    : await getProfileByWallet(deps, member.wallet);
  return profile ? asOwner(deps, member, profile) : null;
}

function asOwner(deps: AppDeps, member: Member, profile: Profile): OwnerProfileView {
  return ownerView(profile, {
    viewer: member.wallet,
    matched: false,
    now: deps.clock.now(),
    member,
  });
}
