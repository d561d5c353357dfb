import assert from "node:assert/strict";
import { safeNext } from "@/components/auth/next.ts";
import { destinationOf } from "@/client/sign_in.ts";
import {
  as,
  call,
  memberWithProfile,
  newSeeker,
  recordMainPhoto,
  withSocialApp,
} from "@/tests/social_http/_helpers.ts";
import { sessionCookie } from "@/tests/auth_http/helpers.ts";

Deno.test("[ux] next: only same-site paths survive (open-redirect cases)", () => {
  for (const good of ["/invite/ABCD-EFGH-JK", "/vault?tag=poet", "/events/01J#ticket", "/a//b"]) {
    assert.equal(safeNext(good), good);
  }
  for (
    const bad of [
      null,
      undefined,
      "",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\\/evil.example",
      "https://evil.example/",
      "http:/evil.example",
      "javascript:alert(1)",
      "invite/ABCD",
      " /vault",
      "/\t/evil.example",
      "/vault\r\nlocation: //evil.example",
    ]
  ) {
    assert.equal(safeNext(bad), null, JSON.stringify(bad));
  }
  assert.equal(destinationOf({ admitted: false }, "/invite/ABCD"), "/invite/ABCD");
  assert.equal(destinationOf({ admitted: false }, "//evil.example"), "/gate");
  assert.equal(destinationOf({ admitted: true }, "https://evil.example"), "/vault");
  assert.equal(destinationOf({ admitted: true }), "/vault");
});

Deno.test("[ux] sign-in keeps the invite: islands get next, a signed-in visit is sent on", async () => {
  await withSocialApp(async (t) => {
    const page = await (await t.fetch("/signin?next=%2Finvite%2FABCD-EFGH-JK")).text();
    // Serialized island props: every sign-in island is handed the invite's path.
    assert.ok(page.includes('\\"/invite/ABCD-EFGH-JK\\"'));
    assert.equal(page.match(/\\"next\\":/g)?.length, 3);
    const evil = await (await t.fetch("/signin?next=%2F%2Fevil.example")).text();
    assert.doesNotMatch(evil, /evil\.example/);

    // Dev sign-in, then the page a member lands on from the invite's "Sign in" link.
    const signIn = await t.fetch("/api/auth/dev", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:8000" },
      body: JSON.stringify({ persona: "seeker" }),
    });
    assert.equal(signIn.status, 200);
    const cookie = `aurum_session=${sessionCookie(signIn)}`;
    const onward = await t.fetch("/signin?next=%2Finvite%2FABCD-EFGH-JK", { headers: { cookie } });
    assert.equal(onward.status, 303);
    assert.equal(onward.headers.get("location"), "/invite/ABCD-EFGH-JK");
    for (const bad of ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"]) {
      const res = await t.fetch(`/signin?next=${bad}`, { headers: { cookie } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/gate", bad);
    }
    // The invite landing sends a signed-out visitor to sign in with the invite as `next`.
    const landing = await (await t.fetch("/invite/ABCD-EFGH-JK")).text();
    assert.match(landing, /href="\/signin\?next=%2Finvite%2FABCD-EFGH-JK"/);
  });
});

Deno.test("[ux] tab bar: on member pages only, current tab marked, new matches counted until /matches is opened", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    await recordMainPhoto(t, alice);
    const carol = await memberWithProfile(t, { displayName: "Carolina" });
    const tabs = (html: string) => html.match(/<nav class="tabbar"[\s\S]*?<\/nav>/)?.[0] ?? "";
    // The count is always there for the live updates, hidden at zero.
    const counted = (html: string) => {
      const count = tabs(html).match(
        /data-testid="unseen-matches"([^>]*)><span data-count[^>]*>(\d+)</,
      );
      assert.ok(count, "the Matches tab carries its count");
      return /hidden/.test(count[1]) ? 0 : Number(count[2]);
    };
    const current = (html: string) =>
      [...tabs(html).matchAll(/<a[^>]*aria-current="page"[^>]*data-testid="tab-(\w+)"/g)]
        .map((m) => m[1]);

    let vault = await (await t.fetch("/vault", as(alice))).text();
    assert.deepEqual(current(vault), ["vault"]);
    assert.match(vault, /class="wordmark" href="\/vault"/);
    assert.equal(counted(vault), 0);

    await call(t, "POST", "/api/signals/send", alice, { to: carol.profileId });
    await call(t, "POST", "/api/signals/send", carol, { to: alice.profileId });
    vault = await (await t.fetch("/vault", as(alice))).text();
    assert.equal(counted(vault), 1);
    assert.match(tabs(vault), /<span class="visually-hidden"> new matches or messages/);

    const matches = await (await t.fetch("/matches", as(alice))).text();
    assert.deepEqual(current(matches), ["matches"]);
    assert.match(matches, /match--new/);
    assert.equal(counted(matches), 0);
    const again = await (await t.fetch("/matches", as(alice))).text();
    assert.doesNotMatch(again, /match--new/);
    vault = await (await t.fetch("/vault", as(alice))).text();
    assert.equal(counted(vault), 0);
    // Carol has not opened her matches yet.
    assert.equal(counted(await (await t.fetch("/events", as(carol))).text()), 1);

    for (
      const [path, tab] of [
        [`/members/${carol.profileId}`, "vault"],
        ["/events", "events"],
        ["/invites", "invites"],
        ["/profile/edit", "me"],
      ]
    ) {
      assert.deepEqual(current(await (await t.fetch(path, as(alice))).text()), [tab], path);
    }
    const member = await (await t.fetch(`/members/${carol.profileId}`, as(alice))).text();
    assert.match(member, /class="back-link" href="\/matches"/);

    // Not for the way in, nor for anyone not admitted.
    const seeker = await newSeeker(t.kv, t.app.deps.clock);
    assert.equal(tabs(await (await t.fetch("/gate", as(seeker))).text()), "");
    assert.equal(tabs(await (await t.fetch("/signin")).text()), "");
    assert.equal(tabs(await (await t.fetch("/")).text()), "");
  });
});
