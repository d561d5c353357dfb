/**
 * A ticket's collectible copy in the holder's wallet, as a member should understand it. The ticket
 * itself is valid for check-in from the moment it is claimed; the copy in the wallet follows when
 * the queue job has minted it. When no chain is configured, or the last attempt failed (the chain
 * is unreachable or refused), the copy is `delayed`: the job keeps retrying with backoff, but the
 * member is told plainly rather than shown an endless "in progress".
 */
import type { Ticket } from "./ticket_records.ts";

/** `added`: in the wallet; `adding`: the job is at work; `delayed`: waiting for the network; `none`: released. */
export type CollectibleState = "added" | "adding" | "delayed" | "none";

/** The collectible state of `ticket`; `chainConfigured` is false when the app has no ticket chain. */
export function collectibleState(ticket: Ticket, chainConfigured: boolean): CollectibleState {
  if (ticket.status === "refunded") return "none";
  if (ticket.status === "minted") return "added";
  if (!chainConfigured || ticket.mint.lastError !== null) return "delayed";
  return "adding";
}
