/**
 * Check-in: a ticket shows a signed, short-lived token (compact, for a QR code); an admin's scanner
 * hands it to {@link checkIn}, which marks the ticket used exactly once.
 *
 * Token: `t1.<ticketId>.<expiry, epoch seconds in base 36>.<HMAC-SHA256, base64url>`, about 85
 * characters. The MAC covers the version, ticket id and expiry.
 */
import type { Clock } from "@/core/clock.ts";
import { ConflictError, NotFoundError, UnauthorizedError } from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
import { readEvent } from "./events.ts";
import { normalizeWallet } from "@/core/members.ts";
import { readTicket, type Ticket, ticketKeys } from "./ticket_records.ts";

/** Default lifetime of a check-in token (the ticket screen refreshes it). */
export const DEFAULT_CHECKIN_TTL_SECONDS = 5 * 60;

const TOKEN_PATTERN = /^t1\.([0-9A-HJKMNP-TV-Z]{26})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;
const encoder = new TextEncoder();

async function macKey(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) {
    throw new RangeError("the check-in secret must be at least 32 characters");
  }
  return await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

const signedText = (ticketId: string, expiry: string) =>
  encoder.encode(`aurum-checkin:t1:${ticketId}:${expiry}`);

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * Issues a check-in token for `ticket`, valid `ttlSeconds`. Refunded or already used tickets get
 * none (ConflictError `ticket_refunded`, `ticket_already_checked_in`).
 */
export async function issueCheckInToken(
  ticket: Ticket,
  secret: string,
  clock: Clock,
  ttlSeconds = DEFAULT_CHECKIN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: number }> {
  if (ticket.status === "refunded") {
    throw new ConflictError("ticket_refunded", "This ticket was refunded.");
  }
  if (ticket.checkedInAt !== null) {
    throw new ConflictError("ticket_already_checked_in", "This ticket was already used.");
  }
  const expirySeconds = Math.floor(clock.now() / 1000) + Math.max(1, Math.floor(ttlSeconds));
  const expiry = expirySeconds.toString(36);
  const mac = await crypto.subtle.sign("HMAC", await macKey(secret), signedText(ticket.id, expiry));
  return {
    token: `t1.${ticket.id}.${expiry}.${toBase64Url(new Uint8Array(mac))}`,
    expiresAt: expirySeconds * 1000,
  };
}

/** Verifies a token's MAC and expiry; returns the ticket id (UnauthorizedError otherwise). */
export async function verifyCheckInToken(
  token: string,
  secret: string,
  clock: Clock,
): Promise<string> {
  const match = TOKEN_PATTERN.exec(token.trim());
  if (!match) {
    throw new UnauthorizedError("checkin_token_invalid", "This is not a valid ticket code.");
  }
  const [, ticketId, expiry, mac] = match;
  const macBytes = fromBase64Url(mac);
  // Only the canonical encoding counts: a last character that differs in its unused padding
  // bits decodes to the same bytes, and one token must have exactly one spelling.
  const canonical = toBase64Url(macBytes) === mac;
  const valid = canonical &&
    await crypto.subtle.verify(
      "HMAC",
      await macKey(secret),
      macBytes,
      signedText(ticketId, expiry),
    );
  if (!valid) {
    throw new UnauthorizedError("checkin_token_invalid", "This is not a valid ticket code.");
  }
  if (parseInt(expiry, 36) * 1000 <= clock.now()) {
    throw new UnauthorizedError(
      "checkin_token_expired",
      "This ticket code has expired; refresh it.",
    );
  }
  return ticketId;
}

/**
 * Checks a ticket in from a scanned token: forged or expired → UnauthorizedError
 * (`checkin_token_invalid`, `checkin_token_expired`); the second scan → ConflictError
 * `ticket_already_checked_in`; refunded → `ticket_refunded`; another event than `expectedEventId`
 * → `ticket_wrong_event`; cancelled or ended event → `event_cancelled`, `event_ended`.
 */
export async function checkIn(
  kv: Deno.Kv,
  clock: Clock,
  token: string,
  secret: string,
  options: { expectedEventId?: string; scannedBy?: string } = {},
): Promise<Ticket> {
  const ticketId = await verifyCheckInToken(token, secret, clock);
  return await commitWithRetry(async () => {
    const { ticket, versionstamp } = await readTicket(kv, ticketId);
    if (!ticket) throw new NotFoundError("ticket_not_found", "No such ticket.");
    if (options.expectedEventId !== undefined && ticket.eventId !== options.expectedEventId) {
      throw new ConflictError("ticket_wrong_event", "This ticket is for another event.");
    }
    if (ticket.status === "refunded") {
      throw new ConflictError("ticket_refunded", "This ticket was refunded.");
    }
    if (ticket.checkedInAt !== null) {
      throw new ConflictError("ticket_already_checked_in", "This ticket was already used.");
    }
    const { event } = await readEvent(kv, ticket.eventId);
    const now = clock.now();
    if (!event || event.status === "cancelled") {
      throw new ConflictError("event_cancelled", "This event was cancelled.");
    }
    if (now >= event.endsAt) throw new ConflictError("event_ended", "This event has ended.");
    const used: Ticket = {
      ...ticket,
      checkedInAt: now,
      checkedInBy: options.scannedBy ? normalizeWallet(options.scannedBy) : null,
      updatedAt: now,
    };
    const op = kv.atomic()
      .check({ key: ticketKeys.ticket(ticket.id), versionstamp })
      .set(ticketKeys.ticket(ticket.id), used);
    return { op, value: used };
  }, () =>
    new ConflictError(
      "ticket_contended",
      "The ticket is being changed concurrently; try again.",
    ), { attempts: 10, pause: null });
}
