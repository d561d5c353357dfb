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
    /** The photo each member may now see: theirs (unveiled by the match) and the viewer's own. */
    photoUrl: string | null;
    ownPhotoUrl: string | null;
  }
  | { id: string; at: number; type: "match_ended"; matchId: string }
  | { id: string; at: number; type: "invite_claimed"; inviteId: string }
  | {
    id: string;
    at: number;
    type: "message";
    matchId: string;
    /** Null when the thread has closed since (the message is gone). */
    message: ThreadMessage | null;
  }
  | { id: string; at: number; type: "message_read"; matchId: string; messageId: string };

/** A message as one of the two members sees it. */
export interface ThreadMessage {
  id: string;
  /** True when the viewer wrote it. */
  mine: boolean;
  text: string;
  sentAt: number;
}
