/**
 * Sign-in in the browser: the page's session, shared by every island that follows it (loaded once
 * per page). One module, so the auth islands share one chunk (the JS budget is tight); World App
 * detection and MiniKit are in client/world_app.ts, which pages without sign-in load alone.
 */
import { Component } from "preact";
import type { Progress } from "@/components/auth/Status.tsx";
import type { SessionView } from "@/components/auth/types.ts";
import { safeNext } from "@/components/auth/next.ts";
import { callApi } from "./api.ts";

/** `undefined` while unknown, `null` when signed out. */
export type SessionState = SessionView | null | undefined;

let loading: Promise<SessionView | null> | undefined;
const listeners = new Set<(session: SessionState) => void>();

function publish(session: SessionView | null) {
  listeners.forEach((listener) => listener(session));
  return session;
}

/** Fetches the session again and tells every island; any failure counts as signed out. */
export function refreshSession(): Promise<SessionView | null> {
  return loading = callApi<SessionView>("/api/auth/session").then(
    publish,
    () => publish(null),
  );
}

/** Marks the page as signed out (after logout). */
export function clearSession(): void {
  publish(null);
}

/** State of a {@link SessionAware} island: the session and what its control is doing. */
export interface SessionAwareState {
  session?: SessionState;
  progress?: Progress;
}

/**
 * Base of the islands that follow the session: loads it on mount (once per page) and re-renders
 * when any island publishes a change. Islands are class components so pages do not download
 * `preact/hooks` for them (the JS budget is tight).
 */
export abstract class SessionAware<P = object> extends Component<P, SessionAwareState> {
  private follow = (session: SessionState) => this.setState({ session });

  override componentDidMount(): void {
    listeners.add(this.follow);
    (loading ?? refreshSession()).then(this.follow);
  }

  override componentWillUnmount(): void {
    listeners.delete(this.follow);
  }

  /** Shows what the island's control is doing (see `Status`). */
  show(progress: Progress): void {
    this.setState({ progress });
  }
}

/**
 * Where a member goes once signed in: `next` when it is a path of this site (an invite link they
 * followed), else the vault when admitted and the gate when not.
 */
export function destinationOf(membership: { admitted: boolean }, next?: string | null): string {
  return safeNext(next) ?? (membership.admitted ? "/vault" : "/gate");
}

/** `0x1234…abcd` (also used by the server-rendered session control). */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
