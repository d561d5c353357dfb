/** What the profile routes hand to `core/profiles`: the app's backends plus match and block checks. */
import type { Profile } from "@/core/profiles/schema.ts";
import { type OwnerProfileView, ownerView } from "@/core/profiles/views.ts";
import type { MemberObjectDeps } from "@/core/storage/member_objects.ts";
import { getMatch, isBlocked } from "@/core/social/mod.ts";
import type { AppDeps, SignedInState } from "./deps.ts";

/** Profile, discovery and photo dependencies built from the app's. */
export function profileDeps(deps: AppDeps) {
  const { kv, clock, cache, objects, ml } = deps;
  return {
    kv,
    clock,
    cache,
    objects,
    ml,
    isMatched: async (a: string, b: string) => (await getMatch(kv, a, b)) !== null,
    isBlocked: (a: string, b: string) => isBlocked(kv, a, b),
  };
}

/** Dependencies of the member-object functions. */
export function memberObjectDeps(deps: AppDeps): MemberObjectDeps {
  return { objects: deps.objects, appSecret: deps.config.appSecret };
}

/** The signed-in member's view of their own profile. */
export function ownProfileView(state: SignedInState, profile: Profile): OwnerProfileView {
  return ownerView(profile, {
    viewer: state.member.wallet,
    matched: false,
    now: state.deps.clock.now(),
    member: state.member,
  });
}
