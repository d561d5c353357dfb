/**
 * What other members may see of a profile. Before a mutual match: the limited public view (age,
 * never the date of birth; blurred photo refs; no contact handle). After a match, or for the
 * owner: the full view. No view ever carries the wallet, the nullifier or the date of birth.
 */
import { ForbiddenError } from "@/core/errors.ts";
import type { Member, VerificationLevel } from "@/core/members.ts";
import {
  ageOn,
  type Gender,
  type Interest,
  type Preferences,
  type Profile,
  promptText,
  type Region,
} from "./schema.ts";
import type { PromptId, VibeTag } from "./vibe_tags.ts";
import { hasMainPhoto } from "./main_photo.ts";

/** Answers a relation between two members (wallets), e.g. "matched" or "blocked". */
export type RelationCheck = (a: string, b: string) => boolean | Promise<boolean>;

/** Verification badges shown on a profile, derived from the member record. */
export interface Badges {
  /** World ID verification level, or null when not verified. */
  worldId: VerificationLevel | null;
  /** Admitted by holding the gate NFT. */
  gateNft: boolean;
  /** Admitted by a member's invite. */
  invite: boolean;
}

/** Derives the badges of a member (no member → no badges). */
export function badgesFor(member: Member | null | undefined): Badges {
  const membership = member?.membership;
  return {
    worldId: member?.worldId?.verificationLevel ?? null,
    gateNft: membership?.admitted === true && membership.via === "gate_nft",
    invite: membership?.admitted === true && membership.via === "invite",
  };
}

/** True when the profile has a bio, at least one prompt and at least one photo. */
export function isProfileComplete(profile: Profile): boolean {
  return profile.bio.length > 0 && profile.prompts.length > 0 && profile.photos.length > 0;
}

/**
 * True when the profile lacks what discovery needs (gender, who they want to meet, region): a
 * profile made before these were asked. Such a member is asked for them and, until then, is shown
 * to no one.
 */
export function needsDetails(
  profile: Pick<Profile, "gender" | "interestedIn" | "region">,
): boolean {
  return profile.gender === null || profile.interestedIn.length === 0 || profile.region === null;
}

/** When the profile last changed (epoch milliseconds). */
export function lastUpdatedAt(profile: Profile): number {
  return profile.updatedAt;
}

/** A photo reference in a view; the HTTP layer serves it through `photoForViewer`. */
export interface PhotoView {
  id: string;
  /** True when the viewer may only receive the blurred thumbnail. */
  blurred: boolean;
  width: number;
  height: number;
}

/** The limited view shown before a mutual match. */
export interface PublicProfileView {
  id: string;
  displayName: string;
  age: number;
  /** Empty when not given. */
  university: string;
  graduationYear: number | null;
  /** Free text, empty when not given. */
  city: string;
  region: Region | null;
  bio: string;
  vibeTags: VibeTag[];
  prompts: { promptId: PromptId; prompt: string; answer: string }[];
  badges: Badges;
  photos: PhotoView[];
  isProfileComplete: boolean;
  lastUpdatedAt: number;
  matched: boolean;
}

/** The full view: for the owner and for matched members. */
export interface FullProfileView extends PublicProfileView {
  contactHandle: string | null;
}

/**
 * The owner's own view, with the settings only they see. Gender and who they want to meet are in
 * this view only: discovery uses them as a filter, cards and member pages never show them.
 */
export interface OwnerProfileView extends FullProfileView {
  /** True when the first photo shows one prominent face (the vault asks for one until then). */
  hasMainPhoto: boolean;
  gender: Gender | null;
  interestedIn: Interest[];
  preferences: Preferences;
  hidden: boolean;
}

/** Who is looking, and what they may see. */
export interface ViewOptions {
  /** The viewer's wallet (lowercased). */
  viewer: string;
  /** Whether viewer and owner have a mutual match. */
  matched: boolean;
  /** Now, for the age (epoch milliseconds). */
  now: number;
  /** The owner's member record, for badges. */
  member?: Member | null;
}

/** The limited view: age not DOB, blurred photo refs only, no contact handle. */
export function publicView(profile: Profile, options: ViewOptions): PublicProfileView {
  return baseView(profile, options, true);
}

/** The full view (ForbiddenError `profile_not_matched` unless owner or matched). */
export function fullView(profile: Profile, options: ViewOptions): FullProfileView {
  const isOwner = options.viewer === profile.wallet;
  if (!isOwner && !options.matched) {
    throw new ForbiddenError("profile_not_matched", "The full profile opens after a match.");
  }
  return { ...baseView(profile, options, false), contactHandle: profile.contactHandle };
}

/** The owner's view, with preferences and the hidden flag (ForbiddenError unless the owner). */
export function ownerView(profile: Profile, options: ViewOptions): OwnerProfileView {
  if (options.viewer !== profile.wallet) {
    throw new ForbiddenError("profile_not_owner", "Only the owner sees their settings.");
  }
  return {
    ...fullView(profile, options),
    hasMainPhoto: hasMainPhoto(profile),
    gender: profile.gender,
    interestedIn: [...profile.interestedIn],
    preferences: structuredClone(profile.preferences),
    hidden: profile.hidden,
  };
}

/** The view `options.viewer` is entitled to: owner, full after a match, else public. */
export function viewFor(
  profile: Profile,
  options: ViewOptions,
): PublicProfileView | FullProfileView | OwnerProfileView {
  if (options.viewer === profile.wallet) return ownerView(profile, options);
  return options.matched ? fullView(profile, options) : publicView(profile, options);
}

function baseView(profile: Profile, options: ViewOptions, blurred: boolean): PublicProfileView {
  return {
    id: profile.id,
    displayName: profile.displayName,
    age: ageOn(profile.dateOfBirth, options.now),
    university: profile.university,
    graduationYear: profile.graduationYear,
    city: profile.city,
    region: profile.region,
    bio: profile.bio,
    vibeTags: [...profile.vibeTags],
    prompts: profile.prompts.map((p) => ({
      promptId: p.promptId,
      prompt: promptText(p.promptId),
      answer: p.answer,
    })),
    badges: badgesFor(options.member),
    photos: profile.photos.map((photo) => {
      const size = blurred ? photo.renditions.thumb : photo.renditions.full;
      return { id: photo.id, blurred, width: size.width, height: size.height };
    }),
    isProfileComplete: isProfileComplete(profile),
    lastUpdatedAt: profile.updatedAt,
    matched: options.matched && options.viewer !== profile.wallet,
  };
}
