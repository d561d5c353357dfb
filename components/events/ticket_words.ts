/**
 * The words of a ticket in the event page's minter island. Apart from components/glossary.ts on
 * purpose: a bundle chunk holds whole modules, so words kept in the glossary would bring every
 * other island's glossary words to the event page (its JS budget is tight).
 */

/**
 * A ticket as its holder reads it, by where its collectible copy stands (core/events/collectible.ts):
 * the ticket is valid for check-in in every state but `none` (released).
 */
export const TICKET_STATE_TEXT: Record<string, string> = {
  added: "Your ticket is ready",
  adding: "Your ticket is confirmed · adding it to your wallet…",
  delayed: "Your ticket is confirmed and valid for check-in",
  none: "Released",
};

/** Why a confirmed ticket is not in the wallet yet (no network, or it is down), and that it is fine. */
export const TICKET_DELAYED_NOTE =
  "Its collectible copy will be added to your wallet when the network is back. Nothing to do on your side: show your code at the door.";
