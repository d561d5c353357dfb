/**
 * The social domain's face: invites, signals and matches, safety (block, report) and member
 * notifications. Code outside `core/social/` imports from here.
 */
export * from "./invite_codes.ts";
export * from "./invites.ts";
export * from "./notifications.ts";
export * from "./safety.ts";
export * from "./signal_store.ts";
export * from "./matches_seen.ts";
export * from "./signals.ts";
export type * from "./live_events.ts";
export * from "./departure.ts";
export * from "./conversations.ts";
export { conversationEraseMessageSchema, messageKey, messageSchema } from "./conversation_store.ts";
