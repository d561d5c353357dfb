/**
 * Profile validation: one zod schema per field with a clear message, create (full) and update
 * (partial) input schemas, the stored record schema (for KV values read back) and age arithmetic.
 * Schemas that depend on "now" (date of birth, graduation year) are built from an injected time.
 */
import { z } from "zod";
import { BadRequestError } from "@/core/errors.ts";
import { walletSchema } from "@/core/members.ts";
import {
  MAX_PROMPTS,
  MAX_VIBE_TAGS,
  MIN_VIBE_TAGS,
  PROMPT_IDS,
  PROMPTS,
  VIBE_TAGS,
} from "./vibe_tags.ts";

/** Youngest age a member may be. */
export const MIN_AGE = 18;
/** Oldest age accepted (a typo guard). */
export const MAX_AGE = 100;
/** Most photos on one profile. */
export const MAX_PHOTOS = 6;

/** Control characters, zero-width spaces and bidi overrides (ZWJ stays: emoji need it). */
const CONTROL_CHARS = /[\p{Cc}\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
/** Zero-width characters a display name must not hide (joiners included). */
const ZERO_WIDTH_CHARS = /[\u200b-\u200d\u2060\ufeff]/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A type check that says "is required" for a missing value and `wrong` otherwise. */
const required = (wrong: string) => ({
  error: (issue: { input?: unknown }) => issue.input === undefined ? "is required" : wrong,
});

/** Trimmed, NFC-normalized text between `min` and `max` characters; one line unless `multiline`. */
function text(min: number, max: number, multiline: boolean) {
  return z.string(required(`must be text`))
    .transform((value) => value.normalize("NFC").replaceAll("\r\n", "\n").trim())
    .pipe(
      z.string()
        .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
        .max(max, `must be at most ${max} characters`)
        .refine((value) => multiline || !value.includes("\n"), { error: "must be a single line" })
        .refine((value) => !CONTROL_CHARS.test(value.replaceAll("\n", "")), {
          error: `must not contain control characters`,
        })
        .refine((value) => value.isWellFormed(), {
          error: "must be valid Unicode text (no lone surrogates)",
        }),
    );
}

/** Display name: 1–40 characters, one line, without zero-width characters (even at its ends). */
export const displayNameSchema = z.string(required("must be text"))
  .refine((value) => !ZERO_WIDTH_CHARS.test(value), {
    error: "must not contain zero-width characters",
  })
  .pipe(text(1, 40, false));
/** Bio: up to 500 characters, line breaks allowed. */
export const bioSchema = text(0, 500, true);
/** University: 2–80 characters, one line. */
export const universitySchema = text(2, 80, false);
/** A profile's university: optional, so empty (none given) or 2–80 characters. */
export const profileUniversitySchema = text(0, 80, false)
  .refine((value) => value.length !== 1, { error: "must be empty or at least 2 characters" });

/** Genders a member may give (the words members read live with the form). */
export const GENDERS = ["woman", "man", "non_binary"] as const;
/** A gender of {@link GENDERS}. */
export type Gender = typeof GENDERS[number];
/** Who a member wants to meet: genders of {@link GENDERS}, or everyone. */
export const INTERESTS = [...GENDERS, "everyone"] as const;
/** One entry of a member's `interestedIn`. */
export type Interest = typeof INTERESTS[number];
/** Broad regions a member may say they live in: never a position, never finer than this. */
export const REGIONS = [
  "north_america",
  "latin_america",
  "europe",
  "middle_east_north_africa",
  "sub_saharan_africa",
  "central_asia",
  "south_asia",
  "east_asia",
  "southeast_asia",
  "oceania",
] as const;
/** A region of {@link REGIONS}. */
export type Region = typeof REGIONS[number];

/** Gender: one of {@link GENDERS}. */
export const genderSchema = z.enum(GENDERS, {
  error: (issue) => issue.input === undefined ? "is required" : "must be woman, man or non_binary",
});

/**
 * Who the member wants to meet: a non-empty list of genders without repeats, or "everyone"
 * (stored alone: "everyone" with genders beside it means everyone).
 */
export const interestedInSchema = z.array(
  z.enum(INTERESTS, { error: "must be woman, man, non_binary or everyone" }),
  required("must be a list of genders"),
)
  .min(1, "choose at least one")
  .max(INTERESTS.length, `must have at most ${INTERESTS.length} entries`)
  .refine((list) => new Set(list).size === list.length, { error: "must not repeat an entry" })
  .transform((list): Interest[] =>
    list.includes("everyone") ? ["everyone"] : INTERESTS.filter((i) => list.includes(i))
  );

/** City: free text, up to 60 characters, one line (empty: not given). Never a position. */
export const citySchema = text(0, 60, false);

/** Region: one of {@link REGIONS}. */
export const regionSchema = z.enum(REGIONS, {
  error: (issue) => issue.input === undefined ? "is required" : "must be one of the listed regions",
});

/** Contact handle revealed only to matches, e.g. `@name` or `telegram:@name`; null clears it. */
export const contactHandleSchema = z.string(required("must be text or null"))
  .trim()
  .regex(/^[\p{L}\p{N}@._+:\/-]{2,64}$/u, {
    error: "must be 2–64 characters without spaces (letters, digits, @ . _ + : / -)",
  })
  .nullable();

/** Hidden/incognito: hidden profiles are left out of discovery. */
export const hiddenSchema = z.boolean(required("must be true or false"));

/** Vibe tags: distinct, from the curated list, between the minimum and maximum count. */
export const vibeTagsSchema = z.array(
  z.enum(VIBE_TAGS, { error: "must be one of the curated vibe tags" }),
  required("must be a list of vibe tags"),
)
  .min(MIN_VIBE_TAGS, `must have at least ${MIN_VIBE_TAGS} tags`)
  .max(MAX_VIBE_TAGS, `must have at most ${MAX_VIBE_TAGS} tags`)
  .refine((tags) => new Set(tags).size === tags.length, { error: "must not repeat a tag" });

/** One answered prompt. */
export const promptAnswerSchema = z.strictObject({
  promptId: z.enum(PROMPT_IDS, { error: "must be one of the curated prompts" }),
  answer: text(1, 200, true),
}, required("must be an object with promptId and answer"));

/** Up to three answered prompts, each prompt at most once. */
export const promptsSchema = z.array(promptAnswerSchema, required("must be a list of prompts"))
  .max(MAX_PROMPTS, `must have at most ${MAX_PROMPTS} prompts`)
  .refine((prompts) => new Set(prompts.map((p) => p.promptId)).size === prompts.length, {
    error: "must not answer the same prompt twice",
  });

/** UTC calendar year of an epoch-millisecond time. */
export function yearOf(now: number): number {
  return new Date(now).getUTCFullYear();
}

/** Graduation year: a whole year from 60 years ago to 8 years ahead of `now`. */
export function graduationYearSchema(now: number) {
  const year = yearOf(now);
  return z.number(required("must be a year"))
    .int("must be a whole year")
    .min(year - 60, `must be ${year - 60} or later`)
    .max(year + 8, `must be ${year + 8} or earlier`);
}

/** Parses `YYYY-MM-DD` into UTC parts, or null when it is not a real calendar date. */
export function parseDate(value: string): { year: number; month: number; day: number } | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return null;
  if (date.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Whole years between a `YYYY-MM-DD` birth date and `now` (UTC calendar days). */
export function ageOn(dateOfBirth: string, now: number): number {
  const birth = parseDate(dateOfBirth);
  if (!birth) throw new RangeError(`not a date: ${dateOfBirth}`);
  const today = new Date(now);
  const month = today.getUTCMonth() + 1;
  const day = today.getUTCDate();
  const hadBirthday = month > birth.month || (month === birth.month && day >= birth.day);
  return today.getUTCFullYear() - birth.year - (hadBirthday ? 0 : 1);
}

/** Date of birth `YYYY-MM-DD`: a real date making the member 18 or older on `now`. */
export function dateOfBirthSchema(now: number) {
  return z.string(required("must be a date (YYYY-MM-DD)"))
    .refine((value) => parseDate(value) !== null, { error: "must be a date (YYYY-MM-DD)" })
    .refine((value) => parseDate(value) === null || ageOn(value, now) >= MIN_AGE, {
      error: `you must be at least ${MIN_AGE} years old`,
      abort: true,
    })
    .refine((value) => parseDate(value) === null || ageOn(value, now) <= MAX_AGE, {
      error: "must be a plausible date of birth",
    });
}

const ageSchema = z.number(required("must be an age")).int("must be a whole number")
  .min(MIN_AGE, `must be at least ${MIN_AGE}`).max(MAX_AGE, `must be at most ${MAX_AGE}`);

function preferenceFields(now: number) {
  return {
    universities: z.array(universitySchema, required("must be a list of universities"))
      .max(20, "must have at most 20 universities"),
    graduationYears: z.array(graduationYearSchema(now), required("must be a list of years"))
      .max(12, "must have at most 12 years"),
    ageRange: z.strictObject({ min: ageSchema, max: ageSchema }, required("must be {min, max}"))
      .refine((range) => range.min <= range.max, {
        error: "min must not exceed max",
        path: ["max"],
      }),
    tags: z.array(
      z.enum(VIBE_TAGS, { error: "must be one of the curated vibe tags" }),
      required("must be a list of vibe tags"),
    ).max(MAX_VIBE_TAGS, `must have at most ${MAX_VIBE_TAGS} tags`),
  };
}

/** Discovery preferences: empty lists mean "any"; missing fields take those defaults. */
export function preferencesSchema(now: number) {
  const f = preferenceFields(now);
  return z.strictObject({
    universities: f.universities.default([]),
    graduationYears: f.graduationYears.default([]),
    ageRange: f.ageRange.default({ min: MIN_AGE, max: MAX_AGE }),
    tags: f.tags.default([]),
  }, required("must be an object"));
}

/** Discovery filters: any subset of the preference fields, without defaults. */
export function filtersSchema(now: number) {
  const f = preferenceFields(now);
  return z.strictObject({
    universities: f.universities.optional(),
    graduationYears: f.graduationYears.optional(),
    ageRange: f.ageRange.optional(),
    tags: f.tags.optional(),
  }, required("must be an object"));
}

/** Discovery preferences as stored. */
export type Preferences = z.infer<ReturnType<typeof preferencesSchema>>;

/** The preferences of a profile created without any. */
export function defaultPreferences(): Preferences {
  return {
    universities: [],
    graduationYears: [],
    ageRange: { min: MIN_AGE, max: MAX_AGE },
    tags: [],
  };
}

function fields(now: number) {
  return {
    displayName: displayNameSchema,
    dateOfBirth: dateOfBirthSchema(now),
    university: profileUniversitySchema,
    graduationYear: graduationYearSchema(now).nullable(),
    gender: genderSchema,
    interestedIn: interestedInSchema,
    city: citySchema,
    region: regionSchema,
    bio: bioSchema,
    vibeTags: vibeTagsSchema,
    prompts: promptsSchema,
    preferences: preferencesSchema(now),
    contactHandle: contactHandleSchema,
    hidden: hiddenSchema,
  };
}

/**
 * Input of createProfile: name, date of birth, gender, who they want to meet, region and vibe tags
 * are required; the rest default (university and graduation year are optional).
 */
export function createProfileInputSchema(now: number) {
  const f = fields(now);
  return z.strictObject({
    displayName: f.displayName,
    dateOfBirth: f.dateOfBirth,
    gender: f.gender,
    interestedIn: f.interestedIn,
    region: f.region,
    city: f.city.default(""),
    university: f.university.default(""),
    graduationYear: f.graduationYear.default(null),
    vibeTags: f.vibeTags,
    bio: f.bio.default(""),
    prompts: f.prompts.default([]),
    preferences: f.preferences.default(defaultPreferences),
    contactHandle: f.contactHandle.default(null),
    hidden: f.hidden.default(false),
  }, required("must be an object"));
}

/** Input of updateProfile: any subset of the fields. */
export function updateProfileInputSchema(now: number) {
  const f = fields(now);
  return z.strictObject({
    displayName: f.displayName.optional(),
    dateOfBirth: f.dateOfBirth.optional(),
    university: f.university.optional(),
    graduationYear: f.graduationYear.optional(),
    gender: f.gender.optional(),
    interestedIn: f.interestedIn.optional(),
    city: f.city.optional(),
    region: f.region.optional(),
    vibeTags: f.vibeTags.optional(),
    bio: f.bio.optional(),
    prompts: f.prompts.optional(),
    preferences: f.preferences.optional(),
    contactHandle: f.contactHandle.optional(),
    hidden: f.hidden.optional(),
  }, required("must be an object"));
}

/** Input of the "a few more details" step: what discovery needs, all required but the city. */
export const profileDetailsInputSchema = z.strictObject({
  gender: genderSchema,
  interestedIn: interestedInSchema,
  city: citySchema.default(""),
  region: regionSchema,
}, required("must be an object"));

/** A validated createProfile input. */
export type CreateProfileInput = z.output<ReturnType<typeof createProfileInputSchema>>;
/** A validated updateProfile input. */
export type UpdateProfileInput = z.output<ReturnType<typeof updateProfileInputSchema>>;

/** One problem with an input, by dotted field path. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A validation failure naming the first bad field; `details` lists every issue. */
export class InvalidProfileError extends BadRequestError {
  /** Every issue found, in schema order. */
  readonly details: FieldIssue[];

  constructor(details: FieldIssue[]) {
    const first = details[0] ?? { field: "profile", message: "is invalid" };
    super("invalid_profile", `${first.field}: ${first.message}`);
    this.details = details;
  }
}

/** Turns zod issues into field issues (an unknown key names itself). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
    const field = path.length ? path.map(String).join(".") : "profile";
    const message = issue.code === "unrecognized_keys" ? "is not a profile field" : issue.message;
    return { field, message };
  });
}

/** Parses `input` with `schema`, throwing {@link InvalidProfileError} naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidProfileError(fieldIssues(result.error));
  return result.data;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A ULID string (Crockford base32, 26 characters). */
export const ulidSchema = z.string().regex(ULID);

/** A photo as recorded on its profile; the object keys derive from the ids. */
export const photoRecordSchema = z.object({
  id: ulidSchema,
  createdAt: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  renditions: z.object({
    full: z.object({ width: z.number().int(), height: z.number().int() }),
    card: z.object({ width: z.number().int(), height: z.number().int() }),
    thumb: z.object({ width: z.number().int(), height: z.number().int() }),
  }),
  /**
   * Whether the photo shows one prominent face and may be the main photo (see `main_photo.ts`).
   * Photos stored before the rule were never judged and count as eligible.
   */
  soloFace: z.boolean().default(true),
});

/** A photo on a profile. */
export type PhotoRecord = z.infer<typeof photoRecordSchema>;

/** The stored profile record (validated again whenever it is read back from KV). */
export const profileRecordSchema = z.object({
  v: z.literal(1),
  id: ulidSchema,
  wallet: walletSchema,
  displayName: z.string(),
  dateOfBirth: z.string().regex(DATE),
  university: z.string(),
  graduationYear: z.number().int().nullable(),
  // Absent from profiles made before they were asked: such a member is asked on their next visit.
  gender: z.enum(GENDERS).nullable().default(null),
  interestedIn: z.array(z.enum(INTERESTS)).default([]),
  city: z.string().default(""),
  region: z.enum(REGIONS).nullable().default(null),
  bio: z.string(),
  vibeTags: z.array(z.enum(VIBE_TAGS)),
  prompts: z.array(z.object({ promptId: z.enum(PROMPT_IDS), answer: z.string() })),
  preferences: z.object({
    universities: z.array(z.string()),
    graduationYears: z.array(z.number().int()),
    ageRange: z.object({ min: z.number().int(), max: z.number().int() }),
    tags: z.array(z.enum(VIBE_TAGS)),
  }),
  contactHandle: z.string().nullable(),
  hidden: z.boolean(),
  photos: z.array(photoRecordSchema).max(MAX_PHOTOS),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

/** A stored profile. */
export type Profile = z.infer<typeof profileRecordSchema>;

/** The display text of a prompt id. */
export function promptText(promptId: keyof typeof PROMPTS): string {
  return PROMPTS[promptId];
}
