/**
 * HTML comment markers around islands and slots, shared by the server renderer and the browser.
 *
 * Island: `<!--frsh:ID:N[:KEY]-->` … `<!--/frsh:ID:N[:KEY]-->`, where N indexes the props payload.
 * Slot: `<!--frsh-slot:N:PROP-->` … `<!--/frsh-slot:N:PROP-->`, N being the owning island's index.
 * An end marker is its start marker's text behind a `/`, so a start finds its end among its siblings.
 */

/** Prefix of an island start marker. */
export const ISLAND_MARKER = "frsh:";
/** Prefix of a slot start marker. */
export const SLOT_MARKER = "frsh-slot:";
/** Attribute of the `<template>` holding a slot the island did not render on the server. */
export const SLOT_TEMPLATE_ATTR = "data-frsh-slot";

/** Encodes a key or prop name for a marker: no `:`, no `-` (so never `-->`), no `<` `>` `&`. */
export function encodeMarkerPart(value: string): string {
  return encodeURIComponent(value).replace(/-/g, "%2D");
}
