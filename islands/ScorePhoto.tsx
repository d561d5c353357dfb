import { Component } from "preact";
import { ApiError, callApi, describeError } from "@/client/api.ts";

/** One of the member's own photos the island offers. */
export interface ScorablePhoto {
  id: string;
  /** The photo's own URL (the owner always receives the real rendition). */
  url: string;
}

/** Props of the ScorePhoto island. */
export interface ScorePhotoProps {
  photos: ScorablePhoto[];
  /** The photo chosen when the page opens. */
  selected: string;
  /** Scorings a member may make per day, for the message when they are used up. */
  dailyLimit: number;
}

interface State {
  selected: string;
  phase: "idle" | "scoring" | "done";
  message: string | null;
}

/**
 * Choose one of your photos, then "Score this photo": shows progress while the score is worked
 * out, then opens the page at that photo's result. A form posting to the page without JavaScript.
 */
export default class ScorePhoto extends Component<ScorePhotoProps, State> {
  override state: State = { selected: this.props.selected, phase: "idle", message: null };

  submit = async (event: Event) => {
    event.preventDefault();
    const photoId = this.state.selected;
    this.setState({ phase: "scoring", message: null });
    try {
      const { score } = await callApi<{ score: { score: number } }>(
        "/api/attractiveness/score",
        { photoId },
      );
      this.setState({ phase: "done", message: `Scored ${Math.round(score.score)} out of 100.` });
      location.assign(`/profile/score?scored=${encodeURIComponent(photoId)}#score-${photoId}`);
    } catch (error) {
      this.setState({ phase: "idle", message: this.explain(error) });
    }
  };

  explain(error: unknown): string {
    if (error instanceof ApiError && error.status === 429) {
      return `You can score up to ${this.props.dailyLimit} photos a day. Try again tomorrow.`;
    }
    if (error instanceof ApiError && error.status === 404) {
      return "That photo is no longer on your profile. Reload the page to see your photos.";
    }
    if (error instanceof ApiError && error.status >= 500) {
      return "Your photo could not be scored just now. Please try again in a moment.";
    }
    return describeError(error);
  }

  override render() {
    const { photos } = this.props;
    const { selected, phase, message } = this.state;
    const busy = phase !== "idle";
    return (
      <form
        class="score-photo"
        method="post"
        action="/profile/score"
        onSubmit={this.submit}
        data-testid="score-photo"
        data-phase={phase}
      >
        <input type="hidden" name="action" value="score" />
        <fieldset class="score-photo__choices" disabled={busy}>
          <legend class="score-photo__legend">Choose one of your photos</legend>
          {photos.map((photo, i) => (
            <label key={photo.id} class="score-photo__choice">
              <input
                type="radio"
                name="photoId"
                value={photo.id}
                checked={selected === photo.id}
                onChange={() => this.setState({ selected: photo.id, message: null })}
                class="score-photo__radio"
              />
              <img class="score-photo__thumb" src={photo.url} alt="" width={64} height={80} />
              <span class="score-photo__name">Photo {i + 1}</span>
            </label>
          ))}
        </fieldset>
        <button
          type="submit"
          class="btn btn--primary btn--block"
          disabled={busy}
          data-testid="score-submit"
        >
          {phase === "scoring" ? "Scoring…" : "Score this photo"}
        </button>
        {phase === "scoring"
          ? (
            <div class="score-photo__progress" role="status" data-testid="score-progress">
              <progress class="score-photo__bar" aria-label="Scoring your photo" />
              <span>Looking at light, focus, framing and the face…</span>
            </div>
          )
          : null}
        {phase === "done" ? <p class="score-photo__done" role="status">{message}</p> : null}
        {phase === "idle" && message
          ? <p class="score-photo__error" role="alert" data-testid="score-error">{message}</p>
          : null}
      </form>
    );
  }
}
