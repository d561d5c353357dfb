/**
 * Server-sent events of one member, fed by KV so every instance sees every event: `kv.watch` on the
 * member's latest-event key wakes the stream, `readMemberEventsSince` reads the log after the last
 * id sent (the client's Last-Event-ID on reconnect). Heartbeat comments keep proxies from closing
 * the connection; cancelling the body (client gone) or aborting the request stops the watcher and
 * the timer.
 */
import {
  type MemberEvent,
  memberEventsLatestKey,
  readMemberEventsSince,
} from "@/core/social/mod.ts";

/** Seconds between heartbeat comments. */
export const HEARTBEAT_MS = 20_000;
/** How long a browser waits before reconnecting on its own (the island adds backoff). */
const RETRY_MS = 3_000;
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Options of {@link memberEventStream}. */
export interface MemberEventStreamOptions {
  kv: Deno.Kv;
  wallet: string;
  /** The client's Last-Event-ID; without one the stream starts after the current latest event. */
  lastEventId: string | null;
  /** Turns a stored event into the JSON the client gets. */
  translate: (event: MemberEvent) => Promise<unknown> | unknown;
  /** The request's signal: an abort ends the stream. */
  signal?: AbortSignal;
  heartbeatMs?: number;
  onError?: (error: unknown) => void;
}

/** A `text/event-stream` body for the member's events. */
export async function memberEventStream(
  options: MemberEventStreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const { kv, wallet, translate } = options;
  const encoder = new TextEncoder();
  const key = memberEventsLatestKey(wallet);
  let last = options.lastEventId && ID.test(options.lastEventId) ? options.lastEventId : null;
  if (!last) {
    const latest = await kv.get<{ id?: string }>(key);
    last = typeof latest.value?.id === "string" ? latest.value.id : null;
  }
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let watch: ReadableStreamDefaultReader<unknown> | undefined;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;

  const stop = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", stop);
    watch?.cancel().catch(() => {});
    try {
      controllerRef?.close();
    } catch { /* already closed or cancelled */ }
  };
  const send = (text: string) => {
    if (closed) return;
    try {
      controllerRef!.enqueue(encoder.encode(text));
    } catch {
      stop();
    }
  };

  async function drain() {
    for (;;) {
      const events = await readMemberEventsSince(kv, wallet, last, 100);
      for (const event of events) {
        if (closed) return;
        last = event.id;
        const data = JSON.stringify(await translate(event));
        send(`id: ${event.id}\nevent: ${event.type}\ndata: ${data}\n\n`);
      }
      if (events.length < 100) return;
    }
  }

  async function pump() {
    try {
      // The first value is the key's current state: it drains what the client missed.
      while (!closed) {
        const { done } = await watch!.read();
        if (done || closed) break;
        await drain();
      }
    } catch (error) {
      if (!closed) options.onError?.(error);
    } finally {
      stop();
    }
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      if (options.signal?.aborted) return stop();
      options.signal?.addEventListener("abort", stop);
      send(`retry: ${RETRY_MS}\n: connected\n\n`);
      heartbeat = setInterval(() => send(": ping\n\n"), options.heartbeatMs ?? HEARTBEAT_MS);
      watch = kv.watch([key]).getReader();
      pump();
    },
    cancel() {
      stop();
    },
  });
}
