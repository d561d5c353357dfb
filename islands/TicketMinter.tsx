import { Component } from "preact";
import { ApiError, callApi, describeError } from "@/client/api.ts";
import { host, loadMiniKit } from "@/client/world_app.ts";
import { TICKET_DELAYED_NOTE, TICKET_STATE_TEXT } from "@/components/events/ticket_words.ts";
import type { CollectibleState } from "@/core/events/collectible.ts";

/** The parts of a ticket the island shows. */
export interface MinterTicket {
  id: string;
  status: "pending_mint" | "minted" | "refunded";
  seat: number;
  tokenId: string;
  /** Where its collectible copy in the wallet stands. */
  collectible: CollectibleState;
}

/**
 * The pauses between status checks while the collectible is being added: quick at first, then
 * longer, about 100 s in all; after the last one the island stops and says it will follow later.
 */
export const POLL_DELAYS_MS = [1500, 1500, 3000, 3000, 6000, 6000, 12000, 12000, 24000, 30000];

/** Props of the TicketMinter island. */
export interface TicketMinterProps {
  eventId: string;
  /** "Free" or e.g. "2.5 WLD"; `paid` is true for priced events. */
  priceText: string;
  paid: boolean;
  /** Why no ticket can be claimed now ("Sold out", "Ended"…), or null. */
  closed: string | null;
  /** The member's live ticket to this event, if any. */
  ticket: MinterTicket | null;
  appId: string;
  /** The pauses between status checks (tests shorten them); default {@link POLL_DELAYS_MS}. */
  pollDelaysMs?: number[];
}

/** What the control is doing (a small local type: no shared status chunk on this page). */
type Progress = { kind: "idle" | "busy" | "error"; text?: string };

interface State {
  ticket?: MinterTicket | null;
  /** Known after mount (the server cannot know), so the first render matches the server's. */
  inBrowser?: boolean;
  progress?: Progress;
  /** True once the status checks ran out while the collectible was still being added. */
  gaveUp?: boolean;
}

/**
 * Claim (free) or buy (MiniKit `pay`, inside World App) a ticket, then watch its collectible copy
 * reach the wallet: checks `GET /api/tickets/:id` with growing pauses while it is `adding`, and
 * stops when it is added, when it is delayed (no network: the ticket is valid anyway, and the page
 * says so), or when the pauses run out.
 */
export default class TicketMinter extends Component<TicketMinterProps, State> {
  timer?: ReturnType<typeof setTimeout>;
  key = "";
  polls = 0;

  override componentDidMount() {
    if (this.props.paid && host() === "browser") this.setState({ inBrowser: true });
    if (this.current()?.collectible === "adding") this.poll();
  }

  override componentWillUnmount() {
    clearTimeout(this.timer);
  }

  current(): MinterTicket | null {
    return this.state.ticket === undefined ? this.props.ticket : this.state.ticket;
  }

  poll = () => {
    clearTimeout(this.timer);
    const delays = this.props.pollDelaysMs ?? POLL_DELAYS_MS;
    if (this.polls >= delays.length) {
      this.setState({ gaveUp: true });
      return;
    }
    this.timer = setTimeout(async () => {
      this.polls++;
      const ticket = this.current();
      if (!ticket) return;
      try {
        const { ticket: next } = await callApi<{ ticket: MinterTicket }>(
          `/api/tickets/${ticket.id}`,
        );
        this.setState({ ticket: next });
        if (next.collectible === "adding") this.poll();
      } catch {
        this.poll(); // offline for a moment: the next check comes later, and the checks run out
      }
    }, delays[this.polls]);
  };

  claim = async () => {
    const { eventId, paid, appId } = this.props;
    this.key ||= `web-${crypto.randomUUID()}`;
    this.setState({ progress: { kind: "busy", text: paid ? "Opening payment…" : "Claiming…" } });
    try {
      let body: { transaction_id: string; reference: string } | undefined;
      if (paid) {
        const { pay } = await callApi<{ pay: Record<string, unknown> }>(
          `/api/events/${eventId}/payments`,
          undefined,
          "POST",
        );
        const { MiniKit } = await loadMiniKit(appId);
        const { finalPayload } = await MiniKit.commandsAsync.pay(pay as never);
        if (finalPayload.status !== "success") {
          throw new ApiError(0, "payment_cancelled", "The payment was not completed.");
        }
        body = {
          transaction_id: finalPayload.transaction_id,
          reference: finalPayload.reference,
        };
        this.setState({ progress: { kind: "busy", text: "Confirming payment…" } });
      }
      const { ticket } = await callApi<{ ticket: MinterTicket }>(
        `/api/events/${eventId}/tickets`,
        body,
        "POST",
        { "idempotency-key": this.key },
      );
      this.key = "";
      this.setState({ ticket, progress: { kind: "idle" } });
      this.polls = 0;
      if (ticket.collectible === "adding") this.poll();
    } catch (error) {
      this.setState({ progress: { kind: "error", text: describeError(error) } });
    }
  };

  render() {
    const { priceText, paid, closed } = this.props;
    const ticket = this.current();
    const progress = this.state.progress ?? { kind: "idle" };
    if (ticket && ticket.status !== "refunded") {
      // Still adding after the last check: say it plainly rather than pulse forever.
      const state = ticket.collectible === "adding" && this.state.gaveUp
        ? "delayed"
        : ticket.collectible;
      return (
        <div class="minter" data-testid="ticket-minter">
          <p
            class={`minter__status minter__status--${state}`}
            data-testid="ticket-status"
            data-status={ticket.status}
            data-collectible={state}
            role="status"
          >
            Seat {ticket.seat} · {TICKET_STATE_TEXT[state]}
          </p>
          {state === "delayed"
            ? <p class="minter__note" data-testid="ticket-delayed-note">{TICKET_DELAYED_NOTE}</p>
            : null}
          {state !== "adding" && !this.props.ticket
            ? (
              <p class="minter__note">
                <a
                  class="btn btn--ghost btn--block"
                  href={`/events/${this.props.eventId}?ticket=${ticket.id}#ticket`}
                >
                  Show my check-in code
                </a>
              </p>
            )
            : null}
        </div>
      );
    }
    const outside = paid && this.state.inBrowser;
    return (
      <div class="minter" data-testid="ticket-minter">
        {closed
          ? <p class="minter__closed">{closed}</p>
          : outside
          ? <p class="minter__closed">Open the Circle in World App to buy a ticket.</p>
          : (
            <button
              type="button"
              class="btn btn--primary btn--block"
              onClick={this.claim}
              disabled={progress.kind === "busy"}
              data-testid="claim-ticket"
            >
              {paid ? `Buy a ticket · ${priceText}` : "Claim a free ticket"}
            </button>
          )}
        <p
          class={`auth-status auth-status--${progress.kind}`}
          role="status"
          data-testid="ticket-minter-status"
          data-kind={progress.kind}
        >
          {progress.text}
        </p>
      </div>
    );
  }
}
