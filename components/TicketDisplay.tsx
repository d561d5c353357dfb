import { qrPathData } from "@/core/qr.ts";
import type { Ticket } from "@/core/events/ticket_records.ts";
import { TICKET_STATUS_TEXT, timeUntil } from "@/components/glossary.ts";

/** Props of {@link TicketDisplay}. */
export interface TicketDisplayProps {
  ticket: Ticket;
  /** The check-in token the QR encodes (null when no code applies). */
  checkinToken: string | null;
  /** When the code expires (epoch ms). */
  qrExpiresAt: number | null;
  /** This page's URL, for "refresh the code". */
  refreshHref: string;
  /** The server's clock, for "valid for 5 minutes". */
  now: number;
}

/** A held ticket: seat, status and the check-in QR (refresh by reloading). */
export function TicketDisplay(
  { ticket, checkinToken, qrExpiresAt, refreshHref, now }: TicketDisplayProps,
) {
  return (
    <section class="ticket" id="ticket" aria-labelledby="ticket-title" data-testid="ticket-display">
      <h2 id="ticket-title" class="ticket__title">Your ticket · Seat {ticket.seat}</h2>
      <p class={`ticket__status ticket__status--${ticket.status}`}>
        {ticket.checkedInAt ? "Checked in" : TICKET_STATUS_TEXT[ticket.status]}
      </p>
      {checkinToken
        ? (
          <figure class="ticket__qr" data-testid="checkin-qr">
            <CheckInQr token={checkinToken} />
            <figcaption class="ticket__qr-caption">
              Show this at the door.{" "}
              {qrExpiresAt ? `It stops working ${timeUntil(qrExpiresAt, now)}.` : null}
            </figcaption>
            <a class="btn btn--ghost btn--block" href={refreshHref}>Get a fresh code</a>
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
