import { HorizontalScroll } from "@/components/HorizontalScroll.tsx";
import { cardOf } from "@/components/profile/cards.ts";
import type { PublicProfileView } from "@/components/profile/types.ts";
import SignalButton, { type SignalState } from "@/islands/SignalButton.tsx";

/** Which row a card sits in (its pass form returns there). */
type Row = "today" | "recommended";

/** A small card in a vault row: veiled photo, name and age, Signal, and a Pass form. */
function PickCard(
  { view, signal, row }: { view: PublicProfileView; signal: SignalState; row: Row },
) {
  const { member, veiled } = cardOf(view);
  const nameId = `pick-${row}-${view.id}`;
  return (
    <article class="pick" aria-labelledby={nameId} data-testid="pick-card" data-profile={view.id}>
      <div class="pick__media">
        {member.photoUrl
          ? (
            <img
              class={veiled ? "card__photo card__photo--veiled" : "card__photo"}
              src={member.photoUrl}
              alt={veiled ? `Veiled photo of ${view.displayName}` : `Photo of ${view.displayName}`}
              width={150}
              height={150}
              loading="lazy"
              decoding="async"
            />
          )
          : (
            <span class="card__monogram" aria-hidden="true">
              {view.displayName.trim().charAt(0).toUpperCase() || "?"}
            </span>
          )}
      </div>
      <h3 class="pick__name" id={nameId}>
        <a class="pick__link" href={`/members/${view.id}`}>
          <span class="pick__name-text">{view.displayName}</span>
          <span class="pick__age">, {view.age}</span>
        </a>
      </h3>
      <div class="pick__actions">
        <SignalButton profileId={view.id} displayName={view.displayName} initial={signal} />
        {signal === "matched" ? null : (
          <form method="post" action="/vault/pass" class="pick__pass">
            <input type="hidden" name="profileId" value={view.id} />
            <input type="hidden" name="from" value={row} />
            <button
              type="submit"
              class="btn btn--ghost pick__pass-button"
              aria-label={`Pass on ${view.displayName}`}
              data-testid="pass"
            >
              Pass
            </button>
          </form>
        )}
      </div>
    </article>
  );
}

/** Props of {@link VaultPicks}. */
export interface VaultPicksProps {
  today: PublicProfileView[];
  recommended: PublicProfileView[];
  signals: Record<string, SignalState>;
  /** The viewer has too little feedback yet: "Recommended" is a varied mix. */
  coldStart: boolean;
}

/** One row: a heading, a line on how it is made, and its cards scrolling sideways. */
function PickRow(
  { row, title, note, views, signals }: {
    row: Row;
    title: string;
    note: string;
    views: PublicProfileView[];
    signals: Record<string, SignalState>;
  },
) {
  return (
    <section class="picks" id={row} aria-labelledby={`${row}-title`} data-testid={`vault-${row}`}>
      <h2 id={`${row}-title`} class="section-label picks__title">{title}</h2>
      <p class="picks__note">{note}</p>
      <HorizontalScroll label={title} class="picks__row">
        {views.map((view) => (
          <li key={view.id} class="hscroll__item picks__item">
            <PickCard view={view} signal={signals[view.id] ?? "none"} row={row} />
          </li>
        ))}
      </HorizontalScroll>
    </section>
  );
}

/** The vault's "Today's circle" and "Recommended" rows; a row with no one is left out. */
export function VaultPicks({ today, recommended, signals, coldStart }: VaultPicksProps) {
  return (
    <>
      {today.length
        ? (
          <PickRow
            row="today"
            title="Today's circle"
            note="A few members chosen for you today. A new circle comes tomorrow."
            views={today}
            signals={signals}
          />
        )
        : null}
      {recommended.length
        ? (
          <PickRow
            row="recommended"
            title="Recommended"
            note={coldStart
              ? "A varied mix of members for now; it learns from your signals and passes."
              : "Ordered by the signals you send and the members you pass on."}
            views={recommended}
            signals={signals}
          />
        )
        : null}
    </>
  );
}
