import { Component } from "preact";
import { type LiveEvent, subscribe } from "@/client/live_events.ts";
import type { MatchReveal, Reveal } from "@/client/match_reveal.tsx";

/** The window event a thread island sends after marking read: `detail` = unread messages in all. */
export const UNREAD_EVENT = "aurum:unread";

/**
 * Updates the tab bar's Matches count (rendered by the server with `data-matches` and
 * `data-messages` on the link): `messages` replaces the unread total, `add` adds to either.
 */
function updateCount(messages: number | null, add: { matches?: number; messages?: number } = {}) {
  const link = document.querySelector<HTMLElement>("[data-testid=tab-matches]");
  const count = link?.querySelector<HTMLElement>("[data-count]");
  if (!link || !count) return;
  const data = link.dataset;
  const matches = Number(data.matches ?? 0) + (add.matches ?? 0);
  const unread = (messages ?? Number(data.messages ?? 0)) + (add.messages ?? 0);
  data.matches = String(matches);
  data.messages = String(unread);
  count.parentElement!.hidden = matches + unread === 0;
  count.textContent = matches + unread > 9 ? "9+" : String(matches + unread);
}

/** True when `matchId`'s thread is the page on screen (its island marks messages read). */
function threadOnScreen(matchId: string): boolean {
  return location.pathname === `/matches/${matchId}` && document.visibilityState === "visible";
}

interface State {
  reveals: Reveal[];
  /** The reveal's component, loaded with the first match. */
  View: typeof MatchReveal | null;
}

/**
 * On every member page: the match moment (a full-screen reveal with "Say hello", loaded when a
 * match arrives) and the live count on the tab bar. Fed by the live event stream.
 */
export default class MutualMatchNotification extends Component<Record<never, never>, State> {
  override state: State = { reveals: [], View: null };
  unsubscribe?: () => void;

  override componentDidMount() {
    addEventListener(UNREAD_EVENT, this.onUnread);
    this.unsubscribe = subscribe((event: LiveEvent) => {
      if (event.type === "message") {
        if (event.message && !threadOnScreen(event.matchId)) updateCount(null, { messages: 1 });
      }
      if (event.type !== "match") return;
      updateCount(null, { matches: 1 });
      const reveal: Reveal = {
        id: event.id,
        matchId: event.matchId,
        name: event.displayName ?? "A member",
        photoUrl: event.photoUrl,
        ownPhotoUrl: event.ownPhotoUrl,
      };
      this.setState(({ reveals }) => ({ reveals: [...reveals.slice(-2), reveal] }));
      import("@/client/match_reveal.tsx").then((module) =>
        this.setState({ View: module.MatchReveal })
      );
    });
  }

  override componentWillUnmount() {
    this.unsubscribe?.();
    removeEventListener(UNREAD_EVENT, this.onUnread);
  }

  onUnread = (event: Event) => updateCount((event as CustomEvent<number>).detail);

  dismiss = () => this.setState(({ reveals }) => ({ reveals: reveals.slice(1) }));

  override render() {
    const { reveals: [reveal], View } = this.state;
    return reveal && View
      ? <View key={reveal.id} reveal={reveal} onDismiss={this.dismiss} />
      : <div hidden data-testid="match-reveals" />;
  }
}
