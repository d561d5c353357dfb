/**
 * Profile id ↔ wallet on the server: clients only ever name profiles, never wallets, and what a
 * member is shown about another member is a profile summary without the wallet.
 */
import { NotFoundError } from "@/core/errors.ts";
import { getProfile, profileIdOf } from "@/core/profiles/mod.ts";
import type { Profile } from "@/core/profiles/mod.ts";
import type { AppDeps } from "@/server/deps.ts";

/** The profile `profileId` (NotFoundError `profile_not_found`). */
export async function profileOrNotFound(deps: AppDeps, profileId: string): Promise<Profile> {
  const profile = /^[0-9A-Za-z_-]{1,64}$/.test(profileId)
    ? await getProfile(deps, profileId)
    : null;
  if (!profile) throw new NotFoundError("profile_not_found", "No such profile.");
  return profile;
}

/** The wallet behind a profile id, resolved on the server (NotFoundError `profile_not_found`). */
export async function walletOfProfile(deps: AppDeps, profileId: string): Promise<string> {
  return (await profileOrNotFound(deps, profileId)).wallet;
}

/** What a member is shown about another member: id, name and first photo (no wallet). */
export interface ProfileSummary {
  id: string;
  displayName: string;
  photoId: string | null;
}

/** The profile summary of the member behind `wallet` (null when they have no profile). */
export async function profileSummaryOf(
  deps: AppDeps,
  wallet: string,
): Promise<ProfileSummary | null> {
  const id = await profileIdOf(deps.kv, wallet);
  const profile = id ? await getProfile(deps, id) : null;
  if (!profile) return null;
  return {
    id: profile.id,
    displayName: profile.displayName,
    photoId: profile.photos[0]?.id ?? null,
  };
}
