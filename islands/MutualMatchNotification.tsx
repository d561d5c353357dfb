import { Component } from "preact";
import { type LiveEvent, subscribe } from "@/client/live_events.ts";

interface Toast {
  id: string;
  profileId: string | null;
  name: string;
}

/**
 * A banner for each new mutual match, with a link to the matched profile; fed by the live event
 * stream (reconnects with backoff and Last-Event-ID).
 */
export default class MutualMatchNotification extends Component<
  Record<never, never>,
  { toasts: Toast[] }
> {
  override state = { toasts: [] as Toast[] };
  unsubscribe?: () => void;

  override componentDidMount() {
    this.unsubscribe = subscribe((event: LiveEvent) => {
      if (event.type !== "match") return;
      const toast = {
        id: event.id,
        profileId: event.profileId,
        name: event.displayName ?? "A member",
      };
      this.setState(({ toasts }) => ({ toasts: [...toasts.slice(-2), toast] }));
    });
  }

  override componentWillUnmount() {
    this.unsubscribe?.();
  }

  dismiss(id: string) {
    this.setState(({ toasts }) => ({ toasts: toasts.filter((t) => t.id !== id) }));
  }

  override render() {
    return (
      <div class="toasts" aria-live="polite" data-testid="match-toasts">
        {this.state.toasts.map((toast) => (
          <div key={toast.id} class="toast" role="status" data-testid="match-toast">
            <p class="toast__text">
              A mutual signal: you and <strong>{toast.name}</strong> matched.
            </p>
            {toast.profileId
              ? (
                <a class="btn btn--primary" href={`/members/${toast.profileId}`}>
                  View profile
                </a>
              )
              : null}
            <button
              type="button"
              class="btn btn--ghost"
              onClick={() =>
                this.dismiss(toast.id)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    );
  }
}
