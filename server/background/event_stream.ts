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
import { ServiceUnavailableError, TooManyRequestsError } from "@/core/errors.ts";
import { normalizeWallet } from "@/core/members.ts";

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
  /** Called once when the stream ends, whatever ended it. */
  onClose?: () => void;
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
    options.onClose?.();
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

/** Live streams one member may hold open at once (browser tabs, windows, devices). */
export const MAX_STREAMS_PER_MEMBER = 3;

/** A slot taken in {@link LiveStreams}: its signal aborts on shutdown; release it when the stream ends. */
export interface StreamSlot {
  signal: AbortSignal;
  release(): void;
}

/**
 * The open event streams of this process: at most `perMember` per member, and all of them closed at
 * once on shutdown. Counted per process: behind a load balancer a member could hold that many on each
 * instance, which still bounds the watchers any one instance runs.
 */
export class LiveStreams {
  readonly #byWallet = new Map<string, Set<AbortController>>();
  #closing = false;

  constructor(readonly perMember: number = MAX_STREAMS_PER_MEMBER) {}

  /**
   * Takes a slot for `wallet`. TooManyRequestsError `too_many_streams` when the member already has
   * `perMember` open; ServiceUnavailableError `shutting_down` once {@link closeAll} ran.
   */
  open(wallet: string): StreamSlot {
    if (this.#closing) {
      throw new ServiceUnavailableError(
        "shutting_down",
        "The server is restarting. Reload the page in a moment.",
      );
    }
    const member = normalizeWallet(wallet);
    const open = this.#byWallet.get(member) ?? new Set<AbortController>();
    if (open.size >= this.perMember) {
      throw new TooManyRequestsError(
        "too_many_streams",
        `You already have ${this.perMember} live connections open. Close Aurum Circle in another tab or window, then reload this page.`,
        5,
      );
    }
    const controller = new AbortController();
    open.add(controller);
    this.#byWallet.set(member, open);
    return {
      signal: controller.signal,
      release: () => {
        open.delete(controller);
        if (open.size === 0 && this.#byWallet.get(member) === open) this.#byWallet.delete(member);
      },
    };
  }

  /** How many streams are open (for one member, or in all). */
  count(wallet?: string): number {
    if (wallet) return this.#byWallet.get(normalizeWallet(wallet))?.size ?? 0;
    let total = 0;
    for (const open of this.#byWallet.values()) total += open.size;
    return total;
  }

  /** Ends every open stream and refuses new ones (shutdown). Returns how many it ended. */
  closeAll(): number {
    this.#closing = true;
    const controllers = [...this.#byWallet.values()].flatMap((open) => [...open]);
    for (const controller of controllers) controller.abort();
    return controllers.length;
  }
}
