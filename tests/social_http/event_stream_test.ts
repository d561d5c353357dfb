import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { appendMemberEvent } from "@/core/social/notifications.ts";
import { memberEventStream } from "@/server/background/event_stream.ts";

const WALLET = `0x${"ab".repeat(20)}`;

Deno.test("[event stream] heartbeats, events after Last-Event-ID, clean stop on cancel and abort", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  try {
    const old = await appendMemberEvent(kv, clock, WALLET, { type: "signal_received" });
    const body = await memberEventStream({
      kv,
      wallet: WALLET,
      lastEventId: null,
      translate: (event) => ({ type: event.type }),
      heartbeatMs: 20,
    });
    const reader = new Response(body).body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(": ping")) text += (await reader.read()).value;
    assert.ok(!text.includes(old.id), "no replay without Last-Event-ID");
    const fresh = await appendMemberEvent(kv, clock, WALLET, {
      type: "invite_claimed",
      inviteId: "x",
    });
    while (!text.includes(`id: ${fresh.id}`)) text += (await reader.read()).value;
    assert.match(text, /event: invite_claimed\ndata: \{"type":"invite_claimed"\}/);
    await reader.cancel(); // the sanitizers check the watcher and the timer are gone

    const controller = new AbortController();
    const resumed = await memberEventStream({
      kv,
      wallet: WALLET,
      lastEventId: old.id,
      translate: (event) => event,
      signal: controller.signal,
    });
    const second = new Response(resumed).body!.pipeThrough(new TextDecoderStream()).getReader();
    let replay = "";
    while (!replay.includes(`id: ${fresh.id}`)) replay += (await second.read()).value;
    assert.ok(!replay.includes(`id: ${old.id}`));
    controller.abort();
    for (;;) if ((await second.read()).done) break; // the stream ends on abort
  } finally {
    kv.close();
  }
});
