import assert from "node:assert/strict";
import { createApp } from "@/server/app.ts";
import { ORIGIN, testApp } from "@/tests/auth_http/helpers.ts";
import { as, call, memberWithProfile, type TestApp, withSocialApp } from "./_helpers.ts";

/** Reads SSE frames from a response until `count` data events arrived (or the deadline). */
async function readEvents(res: Response, count: number, deadlineMs = 5000) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  // deno-lint-ignore no-explicit-any
  const events: { id: string; event: string; data: any }[] = [];
  let buffer = "";
  const timer = setTimeout(() => reader.cancel(), deadlineMs);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          frame.split("\n").filter((l) => !l.startsWith(":") && l.includes(": "))
            .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
        );
        if (fields.data) {
          events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel();
  }
  return events;
}

function openStream(t: { fetch: TestApp["fetch"] }, cookie: string, lastEventId?: string) {
  const headers: Record<string, string> = { cookie: `aurum_session=${cookie}` };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  return t.fetch("/api/notifications/stream", { headers });
}

Deno.test("[signals http] received never reveals the sender; a match unlocks; unmatch", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia", contactHandle: "@alicia" });
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const sent = await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
    assert.equal(sent.status, 200);
    assert.equal(sent.body.status, "sent");
    assert.equal(
      (await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId })).body.status,
      "already_sent",
    );
    // A wallet is not an accepted recipient.
    const byWallet = await call(t, "POST", "/api/signals/send", alice, { to: bob.wallet });
    assert.equal(byWallet.status, 404);
    const res = await t.fetch("/api/signals/received", as(bob));
    const text = await res.text();
    assert.equal(res.status, 200);
    const received = JSON.parse(text);
    assert.equal(received.count, 1);
    assert.equal(received.times.length, 1);
    const alicePhotoRefs = [`/api/profiles/${alice.profileId}/photos`];
    for (
      const secret of [
        alice.wallet,
        alice.wallet.slice(2),
        alice.profileId,
        "Alicia",
        "@alicia",
        ...alicePhotoRefs,
      ]
    ) {
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `leaks ${secret}`);
    }
    assert.deepEqual(Object.keys(received).sort(), ["count", "times"]);
    const aliceSent = await call(t, "GET", "/api/signals/sent", alice);
    assert.deepEqual(aliceSent.body.signals.map((s: { profileId: string }) => s.profileId), [
      bob.profileId,
    ]);
    // Bob answers: a match, visible to both with the other's profile id.
    const back = await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId });
    assert.equal(back.body.status, "matched");
    const mutualA = await call(t, "GET", "/api/signals/mutual", alice);
    const mutualB = await call(t, "GET", "/api/signals/mutual", bob);
    assert.equal(mutualA.body.matches[0].profile.id, bob.profileId);
    assert.equal(mutualB.body.matches[0].profile.id, alice.profileId);
    assert.ok(!JSON.stringify(mutualA.body).includes(bob.wallet));
    const full = await call(t, "GET", `/api/profiles/${alice.profileId}`, bob);
    assert.equal(full.body.contactHandle, "@alicia");
    assert.equal((await call(t, "GET", "/api/signals/received", bob)).body.count, 0);
    const matchId = mutualA.body.matches[0].matchId;
    assert.equal((await call(t, "DELETE", `/api/signals/mutual/nope`, bob)).status, 404);
    assert.equal((await call(t, "DELETE", `/api/signals/mutual/${matchId}`, bob)).status, 204);
    assert.deepEqual((await call(t, "GET", "/api/signals/mutual", alice)).body.matches, []);
  });
});

Deno.test("[signals http] SSE delivers the match to both members, resumes after Last-Event-ID", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const streamA = await openStream(t, alice.cookie);
    const streamB = await openStream(t, bob.cookie);
    assert.equal(streamA.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const [eventsA, eventsB] = await Promise.all([
      readEvents(streamA, 1),
      readEvents(streamB, 2),
      (async () => {
        await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
        await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId });
      })(),
    ]);
    assert.equal(eventsB[0].event, "signal_received");
    assert.deepEqual(Object.keys(eventsB[0].data).sort(), ["at", "id", "type"]);
    assert.equal(eventsB[1].event, "match");
    assert.equal(eventsA[0].event, "match");
    assert.equal(eventsA[0].data.profileId, bob.profileId);
    assert.equal(eventsA[0].data.displayName, "Bartholomew");
    assert.equal(eventsB[1].data.profileId, alice.profileId);
    assert.ok(!JSON.stringify([eventsA, eventsB]).includes("0x"));
    // Reconnecting after the signal event replays the match only.
    const resumed = await readEvents(await openStream(t, bob.cookie, eventsB[0].id), 1);
    assert.equal(resumed[0].id, eventsB[1].id);
    // Without a session: 401.
    const anonymous = await t.fetch("/api/notifications/stream");
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
  });
});

Deno.test("[signals http] across instances: a signal sent through app A reaches a stream on app B", async () => {
  await withSocialApp(async (a) => {
    const other = await createApp({ ...a.app.deps, kv: a.kv });
    const b = {
      fetch: (path: string, init: RequestInit = {}) =>
        other.fetch(new Request(ORIGIN + path, init)),
    };
    const alice = await memberWithProfile(a);
    const bob = await memberWithProfile(a);
    const stream = await openStream(b, alice.cookie);
    const [events] = await Promise.all([
      readEvents(stream, 1),
      (async () => {
        await call(a, "POST", "/api/signals/send", bob, { to: alice.profileId });
      })(),
    ]);
    assert.equal(events[0].event, "signal_received");
  });
});

Deno.test("[signals http] configured quota and invite lifetime: SIGNAL_DAILY_QUOTA, INVITE_TTL_DAYS", async () => {
  const t = await testApp({ SIGNAL_DAILY_QUOTA: "2", INVITE_TTL_DAYS: "1" });
  try {
    const alice = await memberWithProfile(t);
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await memberWithProfile(t));
    const statuses = [];
    for (const other of others) {
      const res = await call(t, "POST", "/api/signals/send", alice, { to: other.profileId });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.body.error.code, "signal_quota_exceeded");
        assert.ok(Number(res.headers.get("retry-after")) > 0);
      }
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    const invite = (await call(t, "POST", "/api/invites", alice)).body;
    assert.equal(invite.expiresAt - invite.createdAt, 24 * 60 * 60 * 1000);
  } finally {
    await t.close();
  }
});
