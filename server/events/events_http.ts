/** Shared pieces of the events and tickets routes: who is an admin, and the JSON views. */
import { ForbiddenError } from "@/core/errors.ts";
import type { EventView, Ticket, Viewer } from "@/core/events/mod.ts";
import type { AppConfig } from "@/core/config.ts";

/** True when `wallet` is one of `ADMIN_WALLETS`. */
export function isAdminWallet(config: AppConfig, wallet: string): boolean {
  return config.adminWallets.includes(wallet.toLowerCase());
}

/** The member as a ticket viewer (admin flag from the config). */
export function viewerOf(config: AppConfig, wallet: string): Viewer {
  return { wallet, admin: isAdminWallet(config, wallet) };
}

/** Throws ForbiddenError `admin_only` unless `wallet` is an admin. */
export function requireAdmin(config: AppConfig, wallet: string): void {
  if (!isAdminWallet(config, wallet)) {
    throw new ForbiddenError("admin_only", "Only event admins can do this.");
  }
}

/** An event as the API returns it (dates also as ISO strings). */
export function eventJson(event: EventView) {
  return {
    ...event,
    startsAtIso: new Date(event.startsAt).toISOString(),
    endsAtIso: new Date(event.endsAt).toISOString(),
  };
}

/**
 * A ticket as the API returns it to its holder: without the client's idempotency key and without
 * anyone else's wallet — no `checkedInBy` (the admin who scanned it; `checkedInAt` says when), and a
 * refund made by someone other than the holder says `by: "admin"`.
 */
export function ticketJson(ticket: Ticket) {
  const { idempotencyKey: _key, checkedInBy: _scanner, ...rest } = ticket;
  const refund = ticket.refund;
  if (!refund || refund.by === "event_cancelled" || refund.by === ticket.wallet) return rest;
  return { ...rest, refund: { ...refund, by: "admin" } };
}

/** A ticket as an admin sees it after scanning: the holder's view plus who checked it in. */
export function adminTicketJson(ticket: Ticket) {
  return { ...ticketJson(ticket), checkedInBy: ticket.checkedInBy };
}

/** Response headers for per-member data. */
export const NO_STORE = { "cache-control": "no-store" };
