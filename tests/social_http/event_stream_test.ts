import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { appendMemberEvent } from "@/core/social/notifications.ts";
import { MAX_STREAMS_PER_MEMBER, memberEventStream } from "@/server/background/event_stream.ts";
import { as, memberWithProfile, withSocialApp } from "./_helpers.ts";

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

Deno.test("[event stream] a member holds at most MAX_STREAMS_PER_MEMBER streams; closing one frees a slot", async () => {
  await withSocialApp(async (t) => {
    const ada = await memberWithProfile(t);
    const bo = await memberWithProfile(t);
    const open = (who = ada) => t.fetch("/api/notifications/stream", as(who));
    const streams: Response[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_MEMBER; i++) {
      const res = await open();
      assert.equal(res.status, 200);
      streams.push(res);
    }
    const refused = await open();
    assert.equal(refused.status, 429);
    const { error } = await refused.json();
    assert.equal(error.code, "too_many_streams");
    assert.match(error.message, /Close Aurum Circle in another tab or window/);

    const other = await open(bo);
    assert.equal(other.status, 200, "another member's streams are counted apart");
    streams.push(other);

    await streams.shift()!.body!.cancel();
    const again = await open();
    assert.equal(again.status, 200);
    streams.push(again);
    assert.equal(t.app.deps.streams.count(ada.wallet), MAX_STREAMS_PER_MEMBER);

    assert.equal(t.app.deps.streams.closeAll(), streams.length);
    for (const res of streams) assert.equal((await res.text()).includes(": connected"), true);
    assert.equal(t.app.deps.streams.count(), 0);
  });
});
