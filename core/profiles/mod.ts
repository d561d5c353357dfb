/**
 * The profiles domain's face: profiles, their views, discovery and the private photo pipeline.
 * Code outside `core/profiles/` imports from here.
 */
export * from "./discovery.ts";
export * from "./main_photo.ts";
export * from "./photo_access.ts";
export * from "./photo_header.ts";
export * from "./photo_keys.ts";
export * from "./photo_limits.ts";
export * from "./photo_records.ts";
export * from "./photo_sweep.ts";
export * from "./photos.ts";
export * from "./profiles.ts";
export * from "./schema.ts";
export * from "./vibe_tags.ts";
export * from "./views.ts";
