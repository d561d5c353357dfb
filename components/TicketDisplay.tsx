import { qrPathData } from "@/core/qr.ts";
import type { Ticket } from "@/core/events/ticket_records.ts";
import { timeUntil } from "@/components/glossary.ts";

/** Props of {@link TicketDisplay}. */
export interface TicketDisplayProps {
  ticket: Ticket;
  /** The check-in token the QR encodes (null when no code applies). */
  checkinToken: string | null;
  /** When the code expires (epoch ms). */
  qrExpiresAt: number | null;
  /** This page's path, which the "fresh code" button reloads. */
  refreshPath: string;
  /** The server's clock, for "valid for 5 minutes" (and a new URL for each fresh code). */
  now: number;
}

/** A held ticket: seat, status and the check-in QR, with a button for a fresh code (no JavaScript). */
export function TicketDisplay(
  { ticket, checkinToken, qrExpiresAt, refreshPath, now }: TicketDisplayProps,
) {
  return (
    <section class="ticket" id="ticket" aria-labelledby="ticket-title" data-testid="ticket-display">
      <h2 id="ticket-title" class="ticket__title">Your ticket · Seat {ticket.seat}</h2>
      {/* Its state is the TicketMinter's line just above, kept live; here only what it omits. */}
      {ticket.checkedInAt
        ? <p class="ticket__status ticket__status--checked-in">Checked in</p>
        : null}
      {checkinToken
        ? (
          <figure class="ticket__qr" data-testid="checkin-qr">
            <CheckInQr token={checkinToken} />
            <figcaption class="ticket__qr-caption">
              Show this at the door.{" "}
              {qrExpiresAt ? `It stops working ${timeUntil(qrExpiresAt, now)}.` : null}
            </figcaption>
            <form method="get" action={`${refreshPath}#ticket`} class="ticket__refresh">
              <input type="hidden" name="refresh" value={String(now)} />
              <button type="submit" class="btn btn--ghost btn--block" data-testid="qr-refresh">
                Get a fresh code
              </button>
            </form>
          </figure>
        )
        : null}
    </section>
  );
}

/** The check-in token as a QR code, drawn as SVG on the server (core/qr.ts): no QR JavaScript. */
function CheckInQr({ token }: { token: string }) {
  const { side, path } = qrPathData(token);
  return (
    <svg
      class="ticket__qr-code"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${side} ${side}`}
      shape-rendering="crispEdges"
      role="img"
      aria-label="Check-in code"
      data-payload-length={token.length}
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
