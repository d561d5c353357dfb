/**
 * Sign-in in the browser: the page's session, shared by every island that follows it (loaded once
 * per page), World App detection and MiniKit, loaded lazily (a chunk of its own, fetched only
 * inside World App). One module, so the auth islands share one chunk (the JS budget is tight).
 */
import { Component } from "preact";
import type { Progress } from "@/components/auth/Status.tsx";
import type { SessionView } from "@/components/auth/types.ts";
import { safeNext } from "@/components/auth/next.ts";
import { ApiError, callApi } from "./api.ts";

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

// ---- World App and MiniKit ----

/** Where the page runs: the server (unknown), inside World App, or a normal browser. */
export type Host = "unknown" | "world-app" | "browser";

/**
 * The host. World App's webview injects `window.WorldApp` before the page loads (what MiniKit
 * checks), so islands read it in their first browser render.
 */
export function host(): Host {
  if (typeof document === "undefined") return "unknown";
  return (globalThis as { WorldApp?: unknown }).WorldApp ? "world-app" : "browser";
}

type MiniKitModule = typeof import("@worldcoin/minikit-js");
let sdk: Promise<MiniKitModule> | undefined;

/** Loads MiniKit and installs it for `appId`, once; rejects with an {@link ApiError}. */
export function loadMiniKit(appId: string): Promise<MiniKitModule> {
  return sdk ??= import("@worldcoin/minikit-js").then((mod) => {
    const installed = mod.MiniKit.install(appId);
    if (!installed.success && installed.errorCode !== "already_installed") {
      sdk = undefined;
      throw new ApiError(0, installed.errorCode, installed.errorMessage);
    }
    return mod;
  });
}
