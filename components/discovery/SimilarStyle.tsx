import { HorizontalScroll } from "@/components/HorizontalScroll.tsx";
import { photoUrl } from "@/components/profile/urls.ts";

/** A member in the "Similar photo style" row. */
export interface SimilarMember {
  profileId: string;
  displayName: string;
  photoId: string;
}

/**
 * "Similar photo style": members who chose to be found this way and whose photos share this
 * member's photo style (light, colour, framing). Photos come veiled unless the viewer matched them.
 * Nothing is shown when there is no one.
 */
export function SimilarStyle({ members }: { members: SimilarMember[] }) {
  if (members.length === 0) return null;
  return (
    <section class="similar" aria-labelledby="similar-title" data-testid="similar-style">
      <h2 id="similar-title" class="section-label">Similar photo style</h2>
      <p class="similar__note">Members whose photos have a similar light, colour and framing.</p>
      <HorizontalScroll label="Similar photo style" class="similar__row">
        {members.map((m) => (
          <li key={m.profileId} class="hscroll__item similar__item" data-testid="similar-member">
            <a class="similar__link" href={`/members/${m.profileId}`}>
              <img
                class="similar__photo"
                src={photoUrl(m.profileId, m.photoId)}
                alt=""
                width={96}
                height={96}
                loading="lazy"
              />
              <span class="similar__name">{m.displayName}</span>
            </a>
          </li>
        ))}
      </HorizontalScroll>
    </section>
  );
}
