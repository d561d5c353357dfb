/** Curated vocabularies of a profile: vibe tags and prompts, with their count limits. */

/** The vibe tags a member may pick from. */
export const VIBE_TAGS = [
  "night_owl",
  "early_riser",
  "bookworm",
  "gym_rat",
  "foodie",
  "coffee_snob",
  "tea_person",
  "traveller",
  "homebody",
  "party_starter",
  "deep_talks",
  "memes",
  "music_nerd",
  "live_gigs",
  "artsy",
  "gamer",
  "film_buff",
  "outdoorsy",
  "hiker",
  "runner",
  "yoga",
  "dancer",
  "builder",
  "founder",
  "crypto_native",
  "philosopher",
  "poet",
  "chess",
  "board_games",
  "volunteer",
  "pet_lover",
  "plant_parent",
  "fashion",
  "minimalist",
  "spontaneous",
  "planner",
] as const;

/** A curated vibe tag. */
export type VibeTag = (typeof VIBE_TAGS)[number];

/** Fewest vibe tags a profile carries. */
export const MIN_VIBE_TAGS = 3;
/** Most vibe tags a profile carries. */
export const MAX_VIBE_TAGS = 8;

/** The prompts a member may answer, by stable id. */
export const PROMPTS = {
  secret_talent: "My secret talent is…",
  perfect_evening: "A perfect evening looks like…",
  green_flag: "The greenest flag in a person is…",
  unpopular_opinion: "My unpopular opinion:",
  ask_me_about: "Ask me about…",
  society_oath: "The oath I would write for the Circle:",
  last_obsession: "My latest obsession is…",
  two_truths: "Two truths and a lie:",
} as const;

/** A curated prompt id. */
export type PromptId = keyof typeof PROMPTS;

/** Every prompt id, in display order. */
export const PROMPT_IDS = Object.keys(PROMPTS) as [PromptId, ...PromptId[]];

/** Most prompts a profile answers. */
export const MAX_PROMPTS = 3;
