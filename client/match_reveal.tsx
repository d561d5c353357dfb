/**
 * The match moment, loaded by the match island only when a match happens (so member pages do not
 * carry it): both photos, as each member may now see them, and "Say hello" leading to the thread.
 */
import { Component } from "preact";

/** One match to reveal. */
export interface Reveal {
  id: string;
  matchId: string;
  name: string;
  photoUrl: string | null;
  ownPhotoUrl: string | null;
}

function Portrait({ src, label }: { src: string | null; label: string }) {
  return src
    ? <img class="reveal__photo" src={src} alt={label} width={132} height={176} />
    : (
      <span class="reveal__photo reveal__photo--empty" role="img" aria-label={label}>
        {label.slice(0, 1)}
      </span>
    );
}

/** A full-screen dialog for `reveal`; `onDismiss` closes it. */
export class MatchReveal extends Component<{ reveal: Reveal; onDismiss: () => void }> {
  override componentDidMount() {
    document.querySelector<HTMLElement>("[data-testid=say-hello]")?.focus();
  }

  override render() {
    const { reveal, onDismiss } = this.props;
    return (
      <div
        class="reveal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="reveal-title"
        data-testid="match-reveal"
        onKeyDown={(e) => e.key === "Escape" && onDismiss()}
      >
        <div class="reveal__photos">
          <Portrait src={reveal.ownPhotoUrl} label="You" />
          <Portrait src={reveal.photoUrl} label={reveal.name} />
        </div>
        <p class="eyebrow">A mutual signal</p>
        <h2 id="reveal-title" class="display reveal__title">You and {reveal.name} matched</h2>
        <p class="reveal__text">Your profiles are unveiled to each other. Only you two can talk.</p>
        <a
          class="btn btn--primary btn--block"
          href={`/matches/${reveal.matchId}`}
          data-testid="say-hello"
        >
          Say hello
        </a>
        <button
          type="button"
          class="btn btn--ghost btn--block"
          onClick={onDismiss}
          data-testid="reveal-dismiss"
        >
          Not now
        </button>
      </div>
    );
  }
}
