/** What the page expects a photo URL to show: the veiled (blurred) or the real photo. */
export type PhotoExpectation = "veiled" | "open";

/**
 * The URL a photo is shown through; the server decides between the blurred and the real one. The
 * page's expectation only keeps the two apart in the browser's cache (so a new match shows the real
 * photo at once rather than a cached blur): the server caches an answer only when it matches it.
 */
export function photoUrl(
  profileId: string,
  photoId: string,
  size: "card" | "full" = "card",
  expect?: PhotoExpectation,
) {
  return `/api/profiles/${profileId}/photos/${photoId}?size=${size}${expect ? `&v=${expect}` : ""}`;
}
