/**
 * Discovery: other members' profiles in ULID (creation) order, a page at a time, as limited public
 * views. Leaves out the viewer, hidden profiles and anyone blocked either way; keeps only members
 * the viewer wants to meet who want to meet the viewer ({@link mutuallyInterested}, the one place
 * this rule lives); applies the viewer's discovery preferences, overridden field by field by
 * explicit filters. The cursor is the id of the
 * last profile scanned, so profiles created later never shift a page and none repeats.
 */
import { z } from "zod";
import { BadRequestError } from "@/core/errors.ts";
import { getMember, type Member, normalizeWallet } from "@/core/members.ts";
import { getProfileByWallet, type ProfileDeps } from "./profiles.ts";
import {
  ageOn,
  fieldIssues,
  filtersSchema,
  type Gender,
  MAX_AGE,
  MIN_AGE,
  parseDate,
  type Preferences,
  preferencesSchema,
  type Profile,
  profileRecordSchema,
  ulidSchema,
} from "./schema.ts";
import { type PublicProfileView, publicView, type RelationCheck } from "./views.ts";

/** Default page size. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest page size. */
export const MAX_PAGE_SIZE = 50;
/** Most records one call inspects before returning a (possibly short) page with a cursor. */
export const MAX_SCAN = 1000;

/** Explicit filters; each given field replaces the viewer's stored preference. */
export type DiscoveryFilters = Partial<Preferences>;

/** The query parameters that carry discovery filters (and name the vault's filter inputs). */
export const FILTER_PARAMS = ["ageMin", "ageMax", "university", "year", "tag"] as const;
/** A query parameter that carries a discovery filter. */
export type FilterParam = typeof FILTER_PARAMS[number];

/** The list parameters (for `parseQuery`): universities repeated, years and tags comma-separated. */
export const FILTER_PARAM_LISTS = { repeated: ["university"], commaSeparated: ["year", "tag"] };

const queryAge = z.coerce.number({ error: "must be an age" }).int("must be a whole number")
  .min(MIN_AGE, `must be at least ${MIN_AGE}`).max(MAX_AGE, `must be at most ${MAX_AGE}`);

/**
 * Discovery filters given as query parameters (`ageMin`, `ageMax`, `university`, `year`, `tag`;
 * the last three lists) turned into {@link DiscoveryFilters}. Checks the parameters' form only;
 * {@link listProfiles} checks the values (or {@link discoveryFiltersSchema} does both).
 */
export const filterQuerySchema = z.object({
  ageMin: queryAge.optional(),
  ageMax: queryAge.optional(),
  university: z.array(z.string().max(80, "must be at most 80 characters")).max(20).optional(),
  year: z.array(z.coerce.number({ error: "must be a year" }).int("must be a whole year")).max(12)
    .optional(),
  tag: z.array(z.string().max(40, "must be one of the curated vibe tags")).max(8).optional(),
}).transform(({ ageMin, ageMax, university, year, tag }) => ({
  ...(ageMin !== undefined || ageMax !== undefined
    ? { ageRange: { min: ageMin ?? MIN_AGE, max: ageMax ?? MAX_AGE } }
    : {}),
  ...(university?.length ? { universities: university } : {}),
  ...(year?.length ? { graduationYears: year } : {}),
  ...(tag?.length ? { tags: tag } : {}),
}));

/**
 * Discovery filters from query parameters, form and values checked. An issue's path names the
 * parameter (`year.0`) or the filter field (`ageRange.max`); {@link filterParamOf} maps either
 * to its parameter.
 */
export function discoveryFiltersSchema(now: number) {
  return filterQuerySchema.pipe(filtersSchema(now));
}

const PARAM_OF_FILTER: Record<string, FilterParam> = {
  universities: "university",
  graduationYears: "year",
  tags: "tag",
};

/** The query parameter an issue of {@link discoveryFiltersSchema} concerns, by the issue's path. */
export function filterParamOf(path: readonly PropertyKey[]): FilterParam | undefined {
  const [head, sub] = path;
  if (head === "ageRange") return sub === "min" ? "ageMin" : "ageMax";
  if (typeof head === "string" && head in PARAM_OF_FILTER) return PARAM_OF_FILTER[head];
  return FILTER_PARAMS.find((param) => param === head);
}

/** Options of {@link listProfiles}. */
export interface ListProfilesOptions {
  /** The viewer's wallet. */
  viewer: string;
  /** The `cursor` of the previous page ("" or absent for the first). */
  cursor?: string;
  /** Page size, 1–50 (default 20). */
  limit?: number;
  /** Filters overriding the viewer's discovery preferences. */
  filters?: unknown;
}

/** Dependencies of {@link listProfiles}: blocking is decided by the signals module. */
export interface DiscoveryDeps extends ProfileDeps {
  isBlocked: RelationCheck;
}

function parseFilters(now: number, filters: unknown): DiscoveryFilters {
  const result = filtersSchema(now).safeParse(filters ?? {});
  if (result.success) {
    return Object.fromEntries(
      Object.entries(result.data).filter(([, value]) => value !== undefined),
    ) as DiscoveryFilters;
  }
  const first = fieldIssues(result.error)[0];
  throw new BadRequestError("invalid_filters", `filters.${first.field}: ${first.message}`);
}

const fold = (text: string) => text.normalize("NFC").trim().toLocaleLowerCase("en");

/** The fields "who I want to meet" is decided by. */
export type MeetingFields = Pick<Profile, "gender" | "interestedIn">;

/** True when `seeker` wants to meet someone of `gender` (no gender given: no one wants to). */
export function wantsToMeet(seeker: Pick<Profile, "interestedIn">, gender: Gender | null): boolean {
  if (gender === null) return false;
  return seeker.interestedIn.includes("everyone") || seeker.interestedIn.includes(gender);
}

/**
 * The hard rule of every listing that proposes members, both ways: `a` wants to meet `b`'s gender
 * and `b` wants to meet `a`'s. A profile without a gender (made before it was asked) meets no one.
 * Never a ranking weight: it only decides who may be proposed at all.
 */
export function mutuallyInterested(a: MeetingFields | null, b: MeetingFields | null): boolean {
  if (!a || !b) return false;
  return wantsToMeet(a, b.gender) && wantsToMeet(b, a.gender);
}

/** True when `profile` passes `preferences` at `now` (empty lists match everything). */
export function matchesPreferences(
  profile: Pick<Profile, "dateOfBirth" | "university" | "graduationYear" | "vibeTags">,
  preferences: Preferences,
  now: number,
) {
  const age = ageOn(profile.dateOfBirth, now);
  if (age < preferences.ageRange.min || age > preferences.ageRange.max) return false;
  if (
    preferences.universities.length &&
    !preferences.universities.some((u) => fold(u) === fold(profile.university))
  ) return false;
  if (
    preferences.graduationYears.length &&
    (profile.graduationYear === null ||
      !preferences.graduationYears.includes(profile.graduationYear))
  ) return false;
  if (preferences.tags.length && !preferences.tags.some((t) => profile.vibeTags.includes(t))) {
    return false;
  }
  return true;
}

/** A profile's filter fields prepared once for many {@link preferenceMatcher} checks. */
export interface PreparedFilterFields {
  /** The parsed date of birth (null when it does not parse: the check then throws as `ageOn`). */
  birth: { year: number; month: number; day: number } | null;
  /** The university, folded as the comparison folds it. */
  university: string;
}

/** Prepares `profile`'s filter fields for {@link preferenceMatcher}. */
export function prepareFilterFields(
  profile: Pick<Profile, "dateOfBirth" | "university">,
): PreparedFilterFields {
  return { birth: parseDate(profile.dateOfBirth), university: fold(profile.university) };
}

/**
 * {@link matchesPreferences} for many profiles at one `now`: the preferences are folded once and
 * each profile's fields are the prepared ones, with the same answer for every profile.
 */
export function preferenceMatcher(
  preferences: Preferences,
  now: number,
): (
  profile: Pick<Profile, "dateOfBirth" | "university" | "graduationYear" | "vibeTags">,
  prepared: PreparedFilterFields,
) => boolean {
  const today = new Date(now);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth() + 1;
  const day = today.getUTCDate();
  const { min, max } = preferences.ageRange;
  const universities = preferences.universities.length
    ? new Set(preferences.universities.map(fold))
    : null;
  const years = preferences.graduationYears.length ? preferences.graduationYears : null;
  const tags = preferences.tags.length ? preferences.tags : null;
  return (profile, prepared) => {
    const birth = prepared.birth;
    if (!birth) return matchesPreferences(profile, preferences, now);
    const hadBirthday = month > birth.month || (month === birth.month && day >= birth.day);
    const age = year - birth.year - (hadBirthday ? 0 : 1);
    if (age < min || age > max) return false;
    if (universities && !universities.has(prepared.university)) return false;
    if (years && (profile.graduationYear === null || !years.includes(profile.graduationYear))) {
      return false;
    }
    if (tags && !tags.some((t) => profile.vibeTags.includes(t))) return false;
    return true;
  };
}

/** Lists other members' profiles for `viewer` as public views; `cursor` is "" after the last page. */
export async function listProfiles(
  deps: DiscoveryDeps,
  options: ListProfilesOptions,
): Promise<{ values: PublicProfileView[]; cursor: string }> {
  const viewer = normalizeWallet(options.viewer);
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new BadRequestError("invalid_limit", `limit: must be a whole number 1–${MAX_PAGE_SIZE}`);
  }
  const after = options.cursor || null;
  if (after !== null && !ulidSchema.safeParse(after).success) {
    throw new BadRequestError("invalid_cursor", "cursor: is not a discovery cursor");
  }
  const now = deps.clock.now();
  const explicit = parseFilters(now, options.filters);
  const own = await getProfileByWallet(deps, viewer);
  if (!own || own.gender === null) return { values: [], cursor: "" };
  const preferences: Preferences = {
    ...(own?.preferences ?? preferencesSchema(now).parse({})),
    ...explicit,
  };

  const selector: Deno.KvListSelector = after
    ? { prefix: ["profiles"], start: ["profiles", after] }
    : { prefix: ["profiles"] };
  const picked: Profile[] = [];
  let scanned = 0;
  let last: string | null = null;
  let exhausted = true;
  for await (const entry of deps.kv.list(selector, { batchSize: Math.min(100, limit * 4) })) {
    const profile = profileRecordSchema.parse(entry.value);
    if (profile.id === after) continue;
    last = profile.id;
    scanned++;
    if (
      profile.wallet !== viewer && !profile.hidden &&
      mutuallyInterested(own, profile) &&
      matchesPreferences(profile, preferences, now) &&
      !(await deps.isBlocked(viewer, profile.wallet))
    ) picked.push(profile);
    if (picked.length === limit || scanned >= MAX_SCAN) {
      exhausted = false;
      break;
    }
  }
  const members = await membersOf(deps.kv, picked.map((profile) => profile.wallet));
  return {
    values: picked.map((profile) =>
      publicView(profile, { viewer, matched: false, now, member: members.get(profile.wallet) })
    ),
    cursor: exhausted || last === null ? "" : last,
  };
}

/** Reads the member records of `wallets` (validated by the members module). */
async function membersOf(kv: Deno.Kv, wallets: string[]): Promise<Map<string, Member>> {
  const members = await Promise.all(wallets.map((wallet) => getMember(kv, wallet)));
  return new Map(members.flatMap((member) => member ? [[member.wallet, member]] : []));
}
