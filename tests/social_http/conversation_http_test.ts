import assert from "node:assert/strict";
import {
  as,
  call,
  form,
  memberWithProfile,
  recordMainPhoto,
  type TestApp,
  withSocialApp,
} from "./_helpers.ts";
import { gzipSize } from "@/tests/helpers/gzip.ts";

async function matched(t: TestApp) {
  const ada = await memberWithProfile(t, { displayName: "Adeline" });
  const bo = await memberWithProfile(t, { displayName: "Bohdan" });
  const cy = await memberWithProfile(t, { displayName: "Cyprian" });
  await call(t, "POST", "/api/signals/send", ada, { to: bo.profileId });
  const { body } = await call(t, "POST", "/api/signals/send", bo, { to: ada.profileId });
  return { ada, bo, cy, matchId: body.matchId as string };
}

async function storedMessages(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: ["messages"] })) n++;
  return n;
}

const say = (text: string) => ({ text, clientKey: crypto.randomUUID() });

Deno.test("[conversation http] the two members talk through the API; a retried send is one message", async () => {
  await withSocialApp(async (t) => {
    const { ada, bo, matchId } = await matched(t);
    const path = `/api/matches/${matchId}/messages`;
    const first = say("Hello Bohdan");
    const sent = await call(t, "POST", path, ada, first);
    assert.equal(sent.status, 201);
    assert.match(sent.headers.get("content-type") ?? "", /application\/json/);
    assert.equal(sent.body.message.text, "Hello Bohdan");
    assert.equal(sent.body.message.mine, true);
    const again = await call(t, "POST", path, ada, first);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.message.id, sent.body.message.id);
    assert.equal((await call(t, "POST", path, bo, say("Hi Adeline"))).status, 201);

    const read = await call(t, "GET", path, bo);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.messages.map((m: { text: string }) => m.text), [
      "Hello Bohdan",
      "Hi Adeline",
    ]);
    assert.deepEqual(read.body.messages.map((m: { mine: boolean }) => m.mine), [false, true]);
    assert.equal(read.body.seenUpTo, null);
    assert.ok(
      !JSON.stringify(read.body).includes(ada.wallet),
      "no wallet reaches the other member",
    );

    const receipt = await call(t, "POST", `/api/matches/${matchId}/read`, bo, {});
    assert.equal(receipt.status, 200);
    assert.deepEqual(receipt.body, {
      lastReadId: read.body.messages[1].id,
      unread: 0,
      unreadTotal: 0,
    });
    const seenByAda = await call(t, "GET", path, ada);
    assert.equal(seenByAda.body.seenUpTo, read.body.messages[1].id);
  });
});

Deno.test("[conversation http] privacy: a third member, a blocked member and an unmatched pair get nothing", async () => {
  await withSocialApp(async (t) => {
    const { ada, bo, cy, matchId } = await matched(t);
    await call(t, "POST", `/api/matches/${matchId}/messages`, ada, say("a secret for Bohdan"));
    const nothingFor = async (who: typeof ada) => {
      for (
        const [method, path, body] of [
          ["GET", `/api/matches/${matchId}/messages`, undefined],
          ["POST", `/api/matches/${matchId}/messages`, say("let me in")],
          ["POST", `/api/matches/${matchId}/read`, {}],
        ] as const
      ) {
        const res = await call(t, method, path, who, body);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error.code, "conversation_not_found");
        assert.ok(!JSON.stringify(res.body).includes("secret"));
      }
      const page = await t.fetch(`/matches/${matchId}`, as(who));
      assert.equal(page.status, 404);
      const html = await page.text();
      assert.ok(!html.includes("a secret for Bohdan") && !html.includes("Adeline"));
      const posted = await t.fetch(
        `/matches/${matchId}`,
        as(who, form({ text: "sneaky", clientKey: crypto.randomUUID() })),
      );
      assert.equal(posted.status, 404);
      await posted.body?.cancel();
    };
    await nothingFor(cy);
    // A malformed match id is a 404 at the edge.
    assert.equal((await t.fetch(`/matches/not-a-match`, as(ada))).status, 404);

    // Blocked: the match ends and the thread closes for both.
    const blocked = await call(t, "POST", "/api/safety/block", bo, { profileId: ada.profileId });
    assert.equal(blocked.status, 200);
    await nothingFor(ada);
    await nothingFor(bo);
    assert.equal(await storedMessages(t.kv), 1, "only the one message, and nobody can read it");
  });
  await withSocialApp(async (t) => {
    const { ada, bo, matchId } = await matched(t);
    await call(t, "POST", `/api/matches/${matchId}/messages`, bo, say("a secret for Adeline"));
    const ended = await t.fetch("/matches", as(ada, form({ matchId })));
    assert.equal(ended.status, 303);
    for (const who of [ada, bo]) {
      const res = await call(t, "GET", `/api/matches/${matchId}/messages`, who);
      assert.equal(res.status, 404);
      assert.equal((await t.fetch(`/matches/${matchId}`, as(who))).status, 404);
    }
  });
});

Deno.test("[conversation http] limits: empty, too long and too fast are 4xx with a message, nothing stored", async () => {
  await withSocialApp(async (t) => {
    const { ada, matchId } = await matched(t);
    const path = `/api/matches/${matchId}/messages`;
    for (const text of ["", "   ", "x".repeat(1001)]) {
      const res = await call(t, "POST", path, ada, say(text));
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "message_invalid");
      assert.match(res.body.error.message, /Write a message first|1,000 characters/);
    }
    const badKey = await call(t, "POST", path, ada, { text: "hi", clientKey: "x" });
    assert.equal(badKey.status, 400);
    const extra = await call(t, "POST", path, ada, { ...say("hi"), to: "someone" });
    assert.equal(extra.status, 400);
    assert.equal(await storedMessages(t.kv), 0);

    for (let i = 0; i < 20; i++) {
      assert.equal((await call(t, "POST", path, ada, say(`m${i}`))).status, 201);
    }
    const limited = await call(t, "POST", path, ada, say("one too many"));
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, "message_rate_limited");
    assert.match(limited.body.error.message, /Try again in \d+ seconds/);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal(await storedMessages(t.kv), 20);
  });
});

Deno.test("[conversation http] without JavaScript: the form posts, redirects, and a resent form stores once", async () => {
  await withSocialApp(async (t) => {
    const { ada, bo, matchId } = await matched(t);
    const page = await t.fetch(`/matches/${matchId}`, as(ada));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Bohdan/);
    assert.match(html, /<form method="post" class="composer" id="composer"/);
    const clientKey = html.match(/name="clientKey" value="([^"]+)"/)?.[1];
    assert.ok(clientKey);
    const post = () =>
      t.fetch(`/matches/${matchId}`, as(ada, form({ text: "Hello from a form", clientKey })));
    const first = await post();
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), `/matches/${matchId}#composer`);
    assert.equal((await post()).status, 303);
    assert.equal(await storedMessages(t.kv), 1);

    const empty = await t.fetch(
      `/matches/${matchId}`,
      as(ada, form({ text: " ", clientKey: crypto.randomUUID() })),
    );
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Write a message first/);
    assert.equal(await storedMessages(t.kv), 1);

    // Bohdan's tab bar counts the unread message; the matches list previews it; opening clears.
    await recordMainPhoto(t, bo);
    const vault = await (await t.fetch("/vault", as(bo))).text();
    assert.match(vault, /data-matches="\d+" data-messages="1"/);
    const list = await (await t.fetch("/matches", as(bo))).text();
    assert.ok(list.includes(`href="/matches/${matchId}"`));
    assert.match(list, /data-testid="match-preview">Hello from a form</);
    assert.match(list, /data-testid="match-unread">1</);
    const thread = await (await t.fetch(`/matches/${matchId}`, as(bo))).text();
    assert.match(thread, /Hello from a form/);
    assert.match(thread, /data-messages="0"/);
    assert.match(thread, /action="\/members\/[^"]+" class="safety__form"/);
    const adaThread = await (await t.fetch(`/matches/${matchId}`, as(ada))).text();
    assert.match(adaThread, /data-testid="seen">Seen</);
  });
});

Deno.test("[conversation http] the thread page ships its island within the JS budget; the member page links to it", async () => {
  await withSocialApp(async (t) => {
    const { ada, bo, matchId } = await matched(t);
    const res = await t.fetch(`/matches/${matchId}`, as(ada));
    const html = await res.text();
    let bytes = 0;
    for (const m of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
      bytes += await gzipSize(new TextEncoder().encode(m[1]));
    }
    for (const m of (res.headers.get("link") ?? "").matchAll(/<([^>]+)>;\s*rel=modulepreload/g)) {
      bytes += await gzipSize(new Uint8Array(await (await t.fetch(m[1])).arrayBuffer()));
    }
    console.log(`JS gzip: conversation page ${bytes} B`);
    assert.ok(bytes > 0 && bytes <= 12 * 1024, `the conversation page ships ${bytes} B gzip`);
    assert.match(html, /ConversationThread/);
    const member = await (await t.fetch(`/members/${bo.profileId}`, as(ada))).text();
    assert.ok(member.includes(`"matchId":"${matchId}"`) || member.includes(`/matches/${matchId}`));
  });
});
