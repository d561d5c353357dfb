import { Component } from "preact";
import { ApiError, callApi, describeError } from "@/client/api.ts";
import { host, loadMiniKit } from "@/client/sign_in.ts";
import { TICKET_STATUS_TEXT } from "@/components/glossary.ts";

/** The parts of a ticket the island shows. */
export interface MinterTicket {
  id: string;
  status: "pending_mint" | "minted" | "refunded";
  seat: number;
  tokenId: string;
}

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
  /** Polling interval while minting (ms). */
  pollMs?: number;
}

/** What the control is doing (a small local type: no shared status chunk on this page). */
type Progress = { kind: "idle" | "busy" | "error"; text?: string };

interface State {
  ticket?: MinterTicket | null;
  /** Known after mount (the server cannot know), so the first render matches the server's. */
  inBrowser?: boolean;
  progress?: Progress;
}

/**
 * Claim (free) or buy (MiniKit `pay`, inside World App) a ticket, then watch it go from pending to
 * minted: polls `GET /api/tickets/:id` every ~1.5 s until it is minted.
 */
export default class TicketMinter extends Component<TicketMinterProps, State> {
  timer?: ReturnType<typeof setTimeout>;
  key = "";

  override componentDidMount() {
    if (this.props.paid && host() === "browser") this.setState({ inBrowser: true });
    if (this.current()?.status === "pending_mint") this.poll();
  }

  override componentWillUnmount() {
    clearTimeout(this.timer);
  }

  current(): MinterTicket | null {
    return this.state.ticket === undefined ? this.props.ticket : this.state.ticket;
  }

  poll = () => {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      const ticket = this.current();
      if (!ticket) return;
      try {
        const { ticket: next } = await callApi<{ ticket: MinterTicket }>(
          `/api/tickets/${ticket.id}`,
        );
        this.setState({ ticket: next });
        if (next.status === "pending_mint") this.poll();
      } catch {
        this.poll(); // offline for a moment: keep watching
      }
    }, this.props.pollMs ?? 1500);
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
      if (ticket.status === "pending_mint") this.poll();
    } catch (error) {
      this.setState({ progress: { kind: "error", text: describeError(error) } });
    }
  };

  render() {
    const { priceText, paid, closed } = this.props;
    const ticket = this.current();
    const progress = this.state.progress ?? { kind: "idle" };
    if (ticket && ticket.status !== "refunded") {
      return (
        <div class="minter" data-testid="ticket-minter">
          <p
            class={`minter__status minter__status--${ticket.status}`}
            data-testid="ticket-status"
            data-status={ticket.status}
            role="status"
          >
            Seat {ticket.seat} · {TICKET_STATUS_TEXT[ticket.status]}
          </p>
          {ticket.status === "minted"
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
