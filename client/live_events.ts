/**
 * Browser side of the member's live events: ONE EventSource per page shared by every island
 * (SignalButton, MutualMatchNotification, ConversationThread), reconnecting with exponential backoff and resuming
 * after the last event id (kept in sessionStorage, so a toast survives a page change).
 */

import type { ClientEvent } from "@/core/social/live_events.ts";

/** An event as `/api/notifications/stream` sends it (the server's type, erased from the bundle). */
export type LiveEvent = ClientEvent;

type Listener = (event: LiveEvent) => void;

const STORE_KEY = "aurum:lastEventId";
const TYPES = [
  "signal_received",
  "match",
  "match_ended",
  "invite_claimed",
  "message",
  "message_read",
];
const listeners = new Set<Listener>();
let source: EventSource | null = null;
let retryMs = 1000;
let timer: ReturnType<typeof setTimeout> | undefined;

function lastId(): string | null {
  try {
    return sessionStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

function connect() {
  const last = lastId();
  const url = "/api/notifications/stream" + (last ? `?lastEventId=${last}` : "");
  const es = new EventSource(url);
  source = es;
  const onEvent = (message: MessageEvent) => {
    retryMs = 1000;
    try {
      sessionStorage.setItem(STORE_KEY, message.lastEventId);
    } catch { /* private mode */ }
    const event = JSON.parse(message.data) as LiveEvent;
    listeners.forEach((listener) => listener(event));
  };
  for (const type of TYPES) es.addEventListener(type, onEvent as EventListener);
  es.onopen = () => retryMs = 1000;
  es.onerror = () => {
    // Take over from the browser's own retry: back off, resume from the stored id.
    es.close();
    if (source !== es) return;
    source = null;
    timer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  };
}

/** Calls `listener` for every live event; returns the unsubscribe function. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!source && timer === undefined) connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearTimeout(timer);
      timer = undefined;
      source?.close();
      source = null;
    }
  };
}
