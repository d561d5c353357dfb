import { Component } from "preact";
import { callApi, describeError } from "@/client/api.ts";
import { type LiveEvent, subscribe } from "@/client/live_events.ts";

/** Where the member stands with this profile. */
export type SignalState = "none" | "pending" | "sent" | "matched";

/** Props of the SignalButton island. */
export interface SignalButtonProps {
  profileId: string;
  displayName: string;
  /** The state the server rendered: `none`, `sent` or `matched`. */
  initial: SignalState;
  /** The page's main action (a member's page): a full-width gold button. */
  primary?: boolean;
  /** The match, when `initial` is `matched`: "Matched · view" opens its conversation. */
  matchId?: string | null;
}

/** The page-wide event that keeps every button for one member in step (a member can be in several rows). */
const SYNC = "aurum:signal";

interface State {
  state: SignalState;
  error: string | null;
  matchId: string | null;
}

/** Sends a secret signal; shows pending → sent → matched live (the match arrives over SSE). */
export default class SignalButton extends Component<SignalButtonProps, State> {
  override state: State = {
    state: this.props.initial,
    error: null,
    matchId: this.props.matchId ?? null,
  };
  unsubscribe?: () => void;

  override componentDidMount() {
    addEventListener(SYNC, this.follow);
    this.unsubscribe = subscribe((event: LiveEvent) => {
      if (event.type === "match" && event.profileId === this.props.profileId) {
        this.setState({ state: "matched", matchId: event.matchId });
      }
    });
  }

  override componentWillUnmount() {
    removeEventListener(SYNC, this.follow);
    this.unsubscribe?.();
  }

  /** Applies `update` to every button for this member on the page, this one included. */
  share(update: Partial<State>) {
    dispatchEvent(new CustomEvent(SYNC, { detail: { id: this.props.profileId, update } }));
  }

  follow = (event: Event) => {
    const { id, update } = (event as CustomEvent).detail;
    if (id === this.props.profileId) this.setState(update);
  };

  send = async () => {
    this.share({ state: "pending", error: null });
    try {
      const result = await callApi<{ matched: boolean; matchId: string | null }>(
        "/api/signals/send",
        { to: this.props.profileId },
      );
      this.share({ state: result.matched ? "matched" : "sent", matchId: result.matchId });
    } catch (error) {
      this.share({ state: "none" });
      this.setState({ error: describeError(error) });
    }
  };

  override render() {
    const { state, error, matchId } = this.state;
    const { displayName, profileId, primary } = this.props;
    return (
      <div class="signal" data-testid="signal" data-state={state} data-profile={profileId}>
        {state === "matched"
          ? (
            <a
              class={`btn btn--primary signal__matched${primary ? " btn--block" : ""}`}
              href={matchId ? `/matches/${matchId}` : "/matches"}
              data-testid="signal-matched"
            >
              Matched · view
            </a>
          )
          : (
            <button
              type="button"
              class={primary ? "btn btn--primary btn--block" : "btn btn--ghost"}
              disabled={state !== "none"}
              onClick={this.send}
              aria-label={`Send a secret signal to ${displayName}`}
            >
              {state === "pending"
                ? "Sending…"
                : state === "sent"
                ? "Signal sent"
                : primary
                ? `Send ${displayName} a secret signal`
                : "Signal"}
            </button>
          )}
        {error ? <p class="signal__error" role="alert">{error}</p> : null}
      </div>
    );
  }
}
