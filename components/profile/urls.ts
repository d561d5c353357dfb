/** The URL a photo is shown through; the server decides between the blurred and the real one. */
export function photoUrl(profileId: string, photoId: string, size: "card" | "full" = "card") {
  return `/api/profiles/${profileId}/photos/${photoId}?size=${size}`;
}
