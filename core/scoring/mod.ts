/**
 * The scoring domain's face: each photo's stored analysis, private photo scores with their history
 * and percentile, the opt-in leaderboard, and the hooks that keep these records beside the photos.
 * Code outside `core/scoring/` imports from here.
 */
export * from "./photo_analysis.ts";
export * from "./photo_hooks.ts";
export * from "./model_weights.ts";
export * from "./score_records.ts";
export * from "./scores.ts";
export * from "./leaderboard.ts";
export * from "./refit.ts";
export * from "./rescore.ts";
export * from "./overview.ts";
