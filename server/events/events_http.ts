/** Shared pieces of the events and tickets routes: who is an admin, and the JSON views. */
import { ForbiddenError } from "@/core/errors.ts";
import {
  collectibleState,
  type EventForViewer,
  type EventView,
  type Ticket,
  type Viewer,
} from "@/core/events/mod.ts";
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

/**
 * An event as the API returns it (dates also as ISO strings). Members get it through
 * `eventsForViewer` first, so a venue kept for ticket holders is blank (`venueHidden`) for them.
 */
export function eventJson(event: EventView | EventForViewer) {
  return {
    ...event,
    startsAtIso: new Date(event.startsAt).toISOString(),
    endsAtIso: new Date(event.endsAt).toISOString(),
  };
}

/**
 * A ticket as the API returns it to its holder: without the client's idempotency key and without
 * anyone else's wallet — no `checkedInBy` (the admin who scanned it; `checkedInAt` says when), and a
 * refund made by someone other than the holder says `by: "admin"`. `collectible` says where its
 * wallet copy stands (`chainConfigured`: the app has a ticket chain).
 */
export function ticketJson(ticket: Ticket, chainConfigured: boolean) {
  const { idempotencyKey: _key, checkedInBy: _scanner, ...rest } = ticket;
  const collectible = collectibleState(ticket, chainConfigured);
  const refund = ticket.refund;
  if (!refund || refund.by === "event_cancelled" || refund.by === ticket.wallet) {
    return { ...rest, collectible };
  }
  return { ...rest, collectible, refund: { ...refund, by: "admin" } };
}

/** A ticket as an admin sees it after scanning: the holder's view plus who checked it in. */
export function adminTicketJson(ticket: Ticket, chainConfigured: boolean) {
  return { ...ticketJson(ticket, chainConfigured), checkedInBy: ticket.checkedInBy };
}

/** Response headers for per-member data. */
export const NO_STORE = { "cache-control": "no-store" };
