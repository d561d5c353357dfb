import type { Handlers } from "$fresh/server.ts";
import type { SignedInState } from "@/server/deps.ts";
import { memberEventStream } from "@/server/background/event_stream.ts";
import { clientEvent } from "@/server/social/client_events.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * The member's live events as server-sent events (match, match_ended, signal_received,
   * invite_claimed). Resumes after `Last-Event-ID` (header, or `?lastEventId=` for a manual
   * reconnect); without one it starts from now. A client that goes away cancels the body, which
   * stops the KV watcher and the heartbeat (Deno.serve's legacy `req.signal` is not used). A member
   * holds at most `MAX_STREAMS_PER_MEMBER` at once (429 `too_many_streams`); shutdown ends them all.
   */
  async GET(req, ctx) {
    const { deps, member } = ctx.state;
    const lastEventId = req.headers.get("last-event-id") ??
      ctx.url.searchParams.get("lastEventId");
    const slot = deps.streams.open(member.wallet);
    let body: ReadableStream<Uint8Array>;
    try {
      body = await memberEventStream({
        kv: deps.kv,
        wallet: member.wallet,
        lastEventId,
        translate: (event) => clientEvent(deps, event, member.wallet),
        signal: slot.signal,
        onClose: slot.release,
        onError: (error) =>
          deps.logger.log("warn", "notification_stream_failed", { error: String(error) }),
      });
    } catch (error) {
      slot.release();
      throw error;
    }
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  },
};
