/**
 * Browser side of sign-in, shared by the auth islands (one module, so one shared chunk): JSON calls
 * to the auth API, the page's session store, World App detection and the lazily loaded MiniKit.
 */
import { Component } from "preact";
import type { Progress } from "./Status.tsx";
import type { SessionView } from "./types.ts";

/** A failed call: the HTTP status (0 when the network failed) and the server's error code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** A sentence for the member: ours for offline and rate limits, else the server's message. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.status === 0) return "The circle cannot be reached. Check your connection.";
  if (error.status === 429) return "Too many attempts. Wait a moment, then try again.";
  return error.message;
}

/**
 * GET (no body) or POST (a JSON body) to `path` with the session cookie. Resolves with the parsed
 * JSON (null for 204); rejects with an {@link ApiError}.
 */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const post = body !== undefined;
  let response: Response;
  try {
    response = await fetch(path, {
      method: post ? "POST" : "GET",
      credentials: "same-origin",
      headers: post ? { "content-type": "application/json" } : {},
      body: post ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, "network", "offline");
  }
  if (response.status === 204) return null as T;
  const data = await response.json().catch(() => null);
  if (response.ok) return data as T;
  const error = data?.error ?? {};
  throw new ApiError(
    response.status,
    error.code ?? "http",
    error.message ?? `The circle answered ${response.status}. Please try again.`,
  );
}

// ---- the session, shared by every island on the page ----

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
  return loading = api<SessionView>("/api/auth/session").then(publish, () => publish(null));
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

/** Where a member goes once signed in: the vault when admitted, else the gate. */
export function destinationOf(membership: { admitted: boolean }): string {
  return membership.admitted ? "/vault" : "/gate";
}

/** `0x1234…abcd`. */
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

/** Loads MiniKit (a lazy chunk, only inside World App) and installs it for `appId`, once. */
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

/** The link that opens the mini-app in World App (as `MiniKit.getMiniAppUrl` builds it). */
export function miniAppUrl(appId: string): string {
  return `https://world.org/mini-app?app_id=${encodeURIComponent(appId)}`;
}
