import type { ComponentChildren } from "preact";

/** What a profile card shows about a member; nothing private. */
export interface ProfileCardMember {
  id: string;
  displayName: string;
  age: number;
  /** Empty when not given. */
  university: string;
  /** Where they live in words ("Lisbon, Europe"), empty when unknown; never a position. */
  place?: string;
  /** A server-blurred thumbnail until there is a mutual match; absent means no photo. */
  photoUrl?: string | null;
  vibeTags: readonly string[];
}

/** Props of {@link ProfileCard}. */
export interface ProfileCardProps {
  member: ProfileCardMember;
  /** Slot for the signal control (an island) or a matched badge. */
  signal?: ComponentChildren;
  /** Show the photo veiled (extra CSS blur on top of the server's); default true. */
  veiled?: boolean;
  /** Load the photo eagerly, for the first cards above the fold. */
  eager?: boolean;
  /** Where the card leads (the member's page); the name becomes a link covering the card. */
  href?: string;
}

/**
 * A display-only member card: veiled photo, name, age, city and region, university, vibe tags and
 * a signal slot.
 */
export function ProfileCard(
  { member, signal, veiled = true, eager = false, href }: ProfileCardProps,
) {
  const nameId = `card-name-${member.id}`;
  return (
    <article class="card" aria-labelledby={nameId} data-testid="profile-card">
      <div class="card__media">
        {member.photoUrl
          ? (
            <img
              class={veiled ? "card__photo card__photo--veiled" : "card__photo"}
              src={member.photoUrl}
              alt={veiled
                ? `Veiled photo of ${member.displayName}`
                : `Photo of ${member.displayName}`}
              width={400}
              height={500}
              loading={eager ? "eager" : "lazy"}
              decoding="async"
            />
          )
          : (
            <span class="card__monogram" aria-hidden="true">
              {member.displayName.trim().charAt(0).toUpperCase() || "?"}
            </span>
          )}
      </div>
      <div class="card__body">
        <h3 class="card__name" id={nameId}>
          {href
            ? <a class="card__link card__name-text" href={href}>{member.displayName}</a>
            : <span class="card__name-text">{member.displayName}</span>}
          <span class="card__age">, {member.age}</span>
        </h3>
        {member.place ? <p class="card__place">{member.place}</p> : null}
        {member.university ? <p class="card__university">{member.university}</p> : null}
        {member.vibeTags.length > 0
          ? (
            <ul class="tags" aria-label="Vibe">
              {member.vibeTags.map((tag) => <li key={tag} class="tag">{tag}</li>)}
            </ul>
          )
          : null}
        {signal ? <div class="card__signal">{signal}</div> : null}
      </div>
    </article>
  );
}
