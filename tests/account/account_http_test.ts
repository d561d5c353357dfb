import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { bindNullifier, getMember, NULLIFIER_COOL_OFF_MS } from "@/core/members.ts";
import { departedHolderMarker, departedNullifierSecret } from "@/core/account/mod.ts";
import { ForbiddenError } from "@/core/errors.ts";
import { pairId } from "@/core/social/mod.ts";
import { allObjectKeys, as, sendJson, withApp } from "@/tests/profiles_http/_helpers.ts";
import { randomWallet } from "@/tests/events/helpers.ts";
import { dumpKv, entangled, mentioning } from "./_helpers.ts";

/** Keys the embedded vector index keeps for its own catch-up (see core/account/README.md). */
const VECTOR_LOG = /^\["vector_(changes|version)"/;

Deno.test("[account] export: everything about the member, nobody else's private data", async () => {
  await withApp(async (t) => {
    const { ada, bo, cy, newcomer } = await entangled(t);
    const res = await t.fetch("/api/me/export", as(ada));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="aurum-/);
    const text = await res.text();
    const data = JSON.parse(text);
    assert.equal(data.member.wallet, ada.wallet);
    assert.equal(data.profile.id, ada.profileId);
    assert.equal(data.profile.photos.length, 1);
    assert.match(data.profile.photos[0].links.full, /\/api\/storage\/profiles\/.+\?exp=\d+&sig=/);
    const analysis = (await t.kv.get(["photo_analysis", ada.photoIds[0]])).value;
    assert.deepEqual(data.profile.photos[0].analysis, analysis ?? null);
    assert.deepEqual(data.signals.sent.map((s: { toProfileId: string }) => s.toProfileId), [
      bo.profileId,
    ]);
    assert.equal(data.signals.receivedPending, 1, "Cy's pending signal is a count only");
    assert.equal(data.matches[0].withProfileId, bo.profileId);
    assert.deepEqual(
      data.matches[0].messages.map((m: { mine: boolean; text: string }) => [m.mine, m.text]),
      [[true, "Hello Bo"], [false, "Hello Ada"]],
      "the conversation, both ways, without the other member's wallet",
    );
    assert.equal(data.invites.length, 2);
    assert.equal(data.tickets.length, 1);
    assert.equal(data.reportsFiled[0].reportedProfileId, bo.profileId);
    assert.equal(data.sessions.length, 1);
    assert.equal(data.warnings[0].note, "Be kind.");
    for (const secret of [bo.wallet, cy.wallet, newcomer.wallet, ada.cookie, ada.nullifier]) {
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `export leaks ${secret}`);
    }
    assert.ok(!text.includes(cy.profileId), "who signalled stays hidden");

    const photo = await t.fetch(data.profile.photos[0].links.card);
    assert.equal(photo.status, 200, "the signed link serves the photo");
    await photo.body?.cancel();
  });
});

Deno.test("[account] delete: nothing of the member remains but the anonymised ticket and the nullifier hash", async () => {
  await withApp(async (t) => {
    const { kv, objects, config } = t.app.deps;
    const { ada, bo, newcomer } = await entangled(t);
    const before = await dumpKv(kv);
    const objectsBefore = await allObjectKeys(objects);
    const match = await pairId(ada.wallet, bo.wallet);
    const adaNeedles = [ada.wallet, ada.profileId, ...ada.photoIds, ada.nullifier.slice(2)];
    assert.ok(mentioning(before, adaNeedles).length > 20);

    for (const body of [{}, { confirm: "delete my acount" }, { confirm: "DELETE MY ACCOUNT" }]) {
      const refused = await t.fetch("/api/me", sendJson("DELETE", body, ada));
      assert.equal(refused.status, 400);
      assert.match((await refused.json()).error.message, /Type “delete my account” to confirm/);
    }
    assert.deepEqual(await dumpKv(kv), before, "a refused confirmation changes nothing");

    const res = await t.fetch("/api/me", sendJson("DELETE", { confirm: "delete my account" }, ada));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { deleted: true });
    assert.match(res.headers.get("set-cookie") ?? "", /^aurum_session=; .*Max-Age=0/);

    const after = await dumpKv(kv);
    const marker = departedHolderMarker(config.appSecret, ada.wallet);
    const left = mentioning(after, adaNeedles).filter((key) => !VECTOR_LOG.test(key));
    assert.deepEqual(left, [], "nothing names Ada's wallet, profile, photos or nullifier");
    const departed = [...after.keys()].filter((key) => key.startsWith('["departed_nullifiers"'));
    assert.equal(departed.length, 1, "the nullifier is kept as one hash");
    const tickets = mentioning(after, [marker]);
    assert.deepEqual(tickets.map((key) => JSON.parse(key)[0]).sort(), [
      "ticket_holders",
      "tickets",
      "tickets_by_wallet",
    ]);
    const counts = [...before.keys()].filter((key) => key.startsWith('["event_counts"'));
    assert.equal(counts.length, 1);
    assert.equal(after.get(counts[0]), before.get(counts[0]), "seat counts stay right");
    assert.equal(after.get(counts[0]), '"2u64"');
    const newcomerMember = await getMember(kv, newcomer.wallet);
    assert.equal(newcomerMember?.membership.admitted, true, "whom Ada invited stays admitted");
    const vectorLog = mentioning(after, adaNeedles).filter((key) => VECTOR_LOG.test(key));
    assert.ok(vectorLog.every((key) => key.startsWith('["vector_changes"')));

    // Bo's own data is intact; what changed for Bo is the ended match only.
    const boNeedles = [bo.wallet, bo.profileId];
    const pairNeedles = [...adaNeedles, match];
    const boBefore = new Map(
      [...before].filter(([k, v]) => mentioning(new Map([[k, v]]), boNeedles).length),
    );
    for (const [key, value] of boBefore) {
      if (mentioning(new Map([[key, value]]), pairNeedles).length > 0) {
        assert.ok(!after.has(key), `${key} (Bo with Ada) is gone`);
        continue;
      }
      if (key.startsWith('["member_events_latest"')) continue;
      assert.equal(after.get(key), value, `Bo's ${key} changed`);
    }
    const boEvents = [...after].filter(([key]) =>
      key.startsWith(`["member_events","${bo.wallet}"`)
    );
    assert.ok(boEvents.some(([, value]) => value.includes('"type":"match_ended"')));
    assert.ok(!boEvents.some(([, value]) => value.includes('"type":"match"')));
    const boMatches = await t.fetch("/api/signals/mutual", as(bo));
    assert.deepEqual(await boMatches.json(), { matches: [] });

    // Every object of Ada's is gone, every other object stays.
    const objectsAfter = await allObjectKeys(objects);
    assert.deepEqual(
      objectsAfter,
      objectsBefore.filter((key) => !key.startsWith(`profiles/${ada.profileId}/`)),
    );
    assert.ok(objectsAfter.some((key) => key.startsWith(`profiles/${bo.profileId}/`)));

    // The old cookie is dead; the same World ID cannot come back during the cool-off.
    const gone = await t.fetch("/api/profiles/me", as(ada));
    assert.equal(gone.status, 401);
    await gone.body?.cancel();
    const secret = departedNullifierSecret(config.appSecret);
    const clock = createManualClock(Date.now());
    const proof = { nullifierHash: ada.nullifier, verificationLevel: "orb" as const };
    await assert.rejects(
      bindNullifier(kv, clock, randomWallet(), proof, { departedSecret: secret }),
      (error: unknown) => error instanceof ForbiddenError && error.code === "worldid_cooling_off",
    );
    clock.advance(NULLIFIER_COOL_OFF_MS + 1000);
    const back = await bindNullifier(kv, clock, randomWallet(), proof, { departedSecret: secret });
    assert.equal(back.outcome, "bound");
    assert.equal(mentioning(await dumpKv(kv), ['"departed_nullifiers"']).length, 0);
  });
});
