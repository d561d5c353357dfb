/**
 * The photo score in words a member reads: what each part of the breakdown measures, what a flag
 * means, how sure a score is, and dates without the raw calendar format.
 */

/** The three groups of the breakdown, in the order shown. */
export const SCORE_GROUPS = [
  { id: "technical", label: "Light and focus", hint: "exposure, sharpness, grain, colour" },
  { id: "composition", label: "Framing", hint: "where you sit in the photo, and how large" },
  { id: "face", label: "Face", hint: "a face clearly seen and well lit" },
] as const;

/** One group of {@link SCORE_GROUPS}. */
export type ScoreGroupId = (typeof SCORE_GROUPS)[number]["id"];

/** What each measured quality is called. */
const FEATURE_WORDS: Record<string, string> = {
  clipping: "Light without blown-out or crushed areas",
  clip_highlights: "Bright areas keep their detail",
  clip_shadows: "Dark areas keep their detail",
  contrast: "Contrast",
  sharpness: "Sharpness",
  noise: "Little grain",
  colourfulness: "Colour",
  colour_cast: "Natural colour balance",
  resolution: "Photo size",
  composition: "Balanced framing",
  face_size: "Face large enough",
  face_cut_off: "Face fully in the frame",
  face_present: "A face is visible",
  face_count: "One face",
  face_confidence: "Face clearly seen",
  face_clipping: "Face well lit",
};

/** A measured quality as a member reads it (a quality we have no words for: "Other quality"). */
export function featureWords(feature: string): string {
  return FEATURE_WORDS[feature] ?? "Other quality";
}

/** What each flag of the analysis tells the member. */
const FLAG_WORDS: Record<string, string> = {
  no_face: "No face was found in this photo.",
  several_faces: "More than one face is in this photo.",
  low_resolution: "The photo is small.",
  too_dark: "Much of the photo is too dark.",
  too_bright: "Much of the photo is too bright.",
  blurry: "The photo looks blurry.",
  noisy: "The photo looks grainy.",
  face_small: "The face is small in the frame.",
  face_cut_off: "The face is cut off at the edge.",
  face_detector_unavailable: "Faces could not be checked this time.",
};

/** The flags a member can act on, in words (unknown flags are left out). */
export function flagWords(flags: readonly string[]): string[] {
  return flags.flatMap((flag) => FLAG_WORDS[flag] ? [FLAG_WORDS[flag]] : []);
}

/** How sure a score is, in one word and one sentence. */
export function confidenceWords(confidence: number): { level: string; note: string } {
  if (confidence >= 0.75) {
    return {
      level: "Fairly sure",
      note: "Many members' choices around this photo back it up.",
    };
  }
  if (confidence >= 0.45) {
    return {
      level: "Somewhat sure",
      note: "Some members' choices around this photo back it up; it may still move.",
    };
  }
  return {
    level: "A rough guide",
    note: "It rests on the photo's qualities alone, and such scores agree with people's " +
      "judgement only loosely.",
  };
}

/** "Higher than 64% of the photos scored in the circle", with the population in words. */
export function percentileWords(percentile: number, scoredPhotos: number): string {
  if (scoredPhotos <= 1) return "The first photo scored in the circle: nothing to compare yet.";
  const share = Math.round(percentile);
  return `Higher than ${share}% of the ${scoredPhotos} photos scored in the circle.`;
}

/** A day as "3 May" (UTC, where the scores' days are kept). */
export function dayWords(at: number): string {
  return new Date(at).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** A score as a whole number of points. */
export function points(score: number): string {
  return String(Math.round(score));
}

/** Signed points of a contribution: "+4", "−2", "0". */
export function signedPoints(value: number): string {
  const n = Math.round(value);
  if (n === 0) return "0";
  return n > 0 ? `+${n}` : `−${-n}`;
}
