/**
 * The shape of a live member event as the browser receives it (wallets replaced by profile ids).
 * Type-only, so server and browser code share it without the browser importing server code.
 */

/** An event as the browser receives it: wallets replaced by profile ids. */
export type ClientEvent =
  | { id: string; at: number; type: "signal_received" }
  | {
    id: string;
    at: number;
    type: "match";
    matchId: string;
    profileId: string | null;
    displayName: string | null;
  }
  | { id: string; at: number; type: "match_ended"; matchId: string }
  | { id: string; at: number; type: "invite_claimed"; inviteId: string };
