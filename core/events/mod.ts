/**
 * The events domain's face: events and their cancellation, tickets (records, check-in, minting on
 * chain) and payments. Code outside `core/events/` imports from here.
 */
export * from "./cancellation.ts";
export * from "./chain.ts";
export * from "./checkin.ts";
export * from "./events.ts";
export * from "./minting.ts";
export * from "./payments.ts";
export * from "./ticket_records.ts";
export * from "./tickets.ts";
export * from "./departure.ts";
export * from "./collectible.ts";
export * from "./venue.ts";
