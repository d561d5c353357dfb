import { Component } from "preact";
import { callApi, describeError } from "@/client/api.ts";
import { type LiveEvent, subscribe } from "@/client/live_events.ts";
import { host, loadMiniKit } from "@/client/world_app.ts";
import { timeAgo } from "@/components/glossary.ts";
import type { ThreadMessage } from "@/core/social/live_events.ts";

/** Props of the ConversationThread island. */
export interface ConversationThreadProps {
  matchId: string;
  otherName: string;
  /** The newest messages, oldest first, as the server rendered them. */
  initial: ThreadMessage[];
  /** How far the other member has read (a message id), for the "Seen" receipt. */
  seenUpTo: string | null;
  /** The idempotency key of the next send (the form's, so a resent form never duplicates). */
  clientKey: string;
  /** Text to put back in the composer (after a refused form post). */
  draft: string;
  /** The server's clock when rendering, so times in words match on both sides. */
  now: number;
  /** The mini-app id, for "Continue in World Chat" inside World App. */
  worldAppId: string;
}

interface State {
  messages: ThreadMessage[];
  seenUpTo: string | null;
  text: string;
  clientKey: string;
  sending: boolean;
  error: string | null;
  closed: boolean;
  inWorldApp: boolean;
  now: number;
}

const MAX_CHARS = 1000;

/**
 * The thread and its composer. Without JavaScript the form posts to the page; with it, sends go
 * through the API (a retry reuses the key), the other member's messages and read receipts arrive
 * over the live event stream, and what is visible is marked read.
 */
export default class ConversationThread extends Component<ConversationThreadProps, State> {
  override state: State = {
    messages: this.props.initial,
    seenUpTo: this.props.seenUpTo,
    text: this.props.draft,
    clientKey: this.props.clientKey,
    sending: false,
    error: null,
    closed: false,
    inWorldApp: false,
    now: this.props.now,
  };
  unsubscribe?: () => void;
  ticker?: ReturnType<typeof setInterval>;

  override componentDidMount() {
    this.unsubscribe = subscribe(this.onEvent);
    document.addEventListener("visibilitychange", this.markRead);
    this.ticker = setInterval(() => this.setState({ now: Date.now() }), 60_000);
    this.setState({ inWorldApp: host() === "world-app", now: Date.now() });
    this.scrollToEnd();
  }

  override componentWillUnmount() {
    this.unsubscribe?.();
    document.removeEventListener("visibilitychange", this.markRead);
    clearInterval(this.ticker);
  }

  onEvent = (event: LiveEvent) => {
    if (!("matchId" in event) || event.matchId !== this.props.matchId) return;
    if (event.type === "message" && event.message) {
      this.add(event.message);
      this.markRead();
    } else if (event.type === "message_read") {
      this.setState({ seenUpTo: event.messageId });
    } else if (event.type === "match_ended") {
      this.setState({ closed: true });
    }
  };

  add(message: ThreadMessage) {
    this.setState(({ messages }) => ({
      messages: messages.some((m) => m.id === message.id)
        ? messages
        : [...messages, message].sort((a, b) => (a.id < b.id ? -1 : 1)),
      now: Date.now(),
    }), this.scrollToEnd);
  }

  scrollToEnd = () => {
    document.getElementById("composer")?.scrollIntoView({ block: "end" });
  };

  /** Marks the thread read while the page is visible; the tab bar's count follows. */
  markRead = async () => {
    if (document.visibilityState !== "visible" || this.state.closed) return;
    try {
      const result = await callApi<{ unreadTotal: number }>(
        `/api/matches/${this.props.matchId}/read`,
        {},
      );
      // The match island (on every member page) keeps the tab bar's count.
      dispatchEvent(new CustomEvent("aurum:unread", { detail: result.unreadTotal }));
    } catch { /* the next visit marks it read */ }
  };

  send = async (event: Event) => {
    event.preventDefault();
    const text = this.state.text.trim();
    if (!text || this.state.sending) return;
    this.setState({ sending: true, error: null });
    try {
      const result = await callApi<{ message: ThreadMessage }>(
        `/api/matches/${this.props.matchId}/messages`,
        { text, clientKey: this.state.clientKey },
      );
      this.add(result.message);
      this.setState({ text: "", clientKey: crypto.randomUUID(), sending: false });
    } catch (error) {
      // The key stays: sending again after a network failure cannot store the message twice.
      const closed = (error as { status?: number }).status === 404;
      this.setState({ sending: false, closed, error: closed ? null : describeError(error) });
    }
  };

  continueInWorldChat = async () => {
    try {
      const { MiniKit } = await loadMiniKit(this.props.worldAppId);
      await MiniKit.commandsAsync.chat({
        message: `Hello ${this.props.otherName}, we matched in Aurum Circle. Shall we talk here?`,
      });
    } catch (error) {
      this.setState({ error: describeError(error) });
    }
  };

  override render() {
    const { messages, seenUpTo, text, sending, error, closed, inWorldApp, now } = this.state;
    const { otherName } = this.props;
    const lastMine = [...messages].reverse().find((m) => m.mine);
    const seen = lastMine && seenUpTo !== null && seenUpTo >= lastMine.id;
    return (
      <div class="thread" data-testid="thread">
        {messages.length
          ? (
            <ol class="thread__messages" aria-label={`Messages with ${otherName}`}>
              {messages.map((message) => (
                <li
                  key={message.id}
                  class={message.mine ? "bubble bubble--mine" : "bubble"}
                  data-testid="message"
                  data-mine={message.mine}
                >
                  <p class="bubble__text">{message.text}</p>
                  <time class="bubble__time" dateTime={new Date(message.sentAt).toISOString()}>
                    {timeAgo(message.sentAt, now)}
                  </time>
                  {seen && message === lastMine
                    ? <span class="bubble__seen" data-testid="seen">Seen</span>
                    : null}
                </li>
              ))}
            </ol>
          )
          : (
            <p class="thread__empty" data-testid="thread-empty">
              Nothing said yet. Only the two of you can read what you write here.
            </p>
          )}
        <p class="visually-hidden" aria-live="polite">
          {messages.length && !messages[messages.length - 1].mine
            ? `${otherName}: ${messages[messages.length - 1].text}`
            : ""}
        </p>
        {closed
          ? (
            <p class="safety__notice" role="status" data-testid="thread-closed">
              This conversation has ended.
            </p>
          )
          : (
            <form method="post" class="composer" id="composer" onSubmit={this.send}>
              <input type="hidden" name="clientKey" value={this.state.clientKey} />
              <label class="visually-hidden" for="composer-text">Message to {otherName}</label>
              <textarea
                id="composer-text"
                name="text"
                class="field__input composer__input"
                rows={2}
                maxLength={MAX_CHARS}
                required
                placeholder={`Write to ${otherName}`}
                value={text}
                onInput={(e) => this.setState({ text: (e.target as HTMLTextAreaElement).value })}
                data-testid="composer-text"
              />
              <button
                type="submit"
                class="btn btn--primary composer__send"
                disabled={sending}
                data-testid="composer-send"
              >
                {sending ? "Sending…" : "Send"}
              </button>
            </form>
          )}
        {error ? <p class="signal__error" role="alert">{error}</p> : null}
        {inWorldApp && !closed
          ? (
            <button
              type="button"
              class="btn btn--ghost btn--block"
              onClick={this.continueInWorldChat}
              data-testid="world-chat"
            >
              Continue in World Chat
            </button>
          )
          : null}
      </div>
    );
  }
}
