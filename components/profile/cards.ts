/** Turns profile views into what `ProfileCard` shows (used on the server and by islands). */
import type { ProfileCardMember } from "@/components/ProfileCard.tsx";
import { placeOf } from "@/components/glossary.ts";
import { photoUrl } from "./urls.ts";
import type { PublicProfileView } from "./types.ts";

/** A vibe tag id as people read it: `night_owl` → `night owl`. */
export function tagLabel(tag: string): string {
  return tag.replaceAll("_", " ");
}

/** A card for `view`: the first photo (blurred unless the viewer may see it) and readable tags. */
export function cardOf(view: PublicProfileView): { member: ProfileCardMember; veiled: boolean } {
  const cover = view.photos[0];
  return {
    member: {
      id: view.id,
      displayName: view.displayName,
      age: view.age,
      university: view.university,
      place: placeOf(view),
      photoUrl: cover
        ? photoUrl(view.id, cover.id, "card", cover.blurred ? "veiled" : "open")
        : null,
      vibeTags: view.vibeTags.map(tagLabel),
    },
    veiled: cover ? cover.blurred : true,
  };
}
