/**
 * Every page a member reads, rendered for a seeded circle (islands included, as the server renders
 * them): no configuration variable and no chain or internal jargon in the visible text, nor in
 * the alt, title, aria-label and placeholder texts that assistive technology reads out.
 */
import assert from "node:assert/strict";
import { CONFIG_KEYS } from "@/core/config.ts";
import { createEvent } from "@/core/events/mod.ts";
import {
  as,
  call,
  form,
  memberWithProfile,
  newMember,
  newSeeker,
  withSocialApp,
} from "@/tests/social_http/_helpers.ts";

/** Names of environment variables: a config key, or one of the storage backend's. */
const ENV_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g;
const STORAGE_KEYS = /^(S3_|STORAGE_)/;

/** Words and shapes a member should never have to read. */
const JARGON: RegExp[] = [
  /\bWorld Chain\b/i,
  /\bchain\b/i,
  /\bmint(s|ing|ed)?\b/i,
  /\bburn(s|ing|ed|t)?\b/i,
  /\btoken ?#/i,
  /\bnullifier/i,
  /\bcontract\b/i,
  /\bSIWE\b/,
  /\bRPC\b/,
  /\bERC-?721\b/i,
  /\bWorld ID \(/,
  /\((orb|device|document|secure document)\)/i,
  /\b(pending_mint|secure_document|not_admitted|gate_nft)\b/,
  /\b\d{4}-\d{2}-\d{2}(T\d|\b)/, // a raw ISO date
  /(^|[^\d])0 (members|matches|invites|codes)\b/,
  /\b(undefined|NaN)\b|\[object Object\]/,
];

/** The text of a page a member sees or hears: body text plus alt/title/aria-label/placeholder. */
function readableText(html: string): string {
  const body = html.replace(/^[\s\S]*?<body[^>]*>/, "")
    .replace(/<script\b[\s\S]*?<\/script>/g, " ")
    .replace(/<style\b[\s\S]*?<\/style>/g, " ")
    .replace(/<!--[\s\S]*?-->/g, " ");
  const attributes = [...body.matchAll(/\s(?:alt|title|aria-label|placeholder)="([^"]*)"/g)]
    .map((m) => m[1]);
  const text = body.replace(/<[^>]+>/g, " ");
  return [text, ...attributes].join(" \n ")
    .replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<").replaceAll("&gt;", ">").replace(/\s+/g, " ");
}

function assertPlain(path: string, html: string) {
  const text = readableText(html);
  for (const [name] of text.matchAll(ENV_NAME)) {
    assert.ok(
      !CONFIG_KEYS.includes(name) && !STORAGE_KEYS.test(name),
      `${path} shows the configuration variable ${name}`,
    );
  }
  for (const word of JARGON) {
    const found = text.match(word);
    const at = found ? text.slice(Math.max(0, found.index! - 40), found.index! + 60) : "";
    assert.equal(found, null, `${path} says ${word}: …${at}…`);
  }
}

Deno.test("[ux] member-facing pages use plain words: no config names, no chain jargon, no raw dates", async () => {
  await withSocialApp(async (t) => {
    const clock = t.app.deps.clock;
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const carol = await memberWithProfile(t, { displayName: "Carolina" });
    await call(t, "POST", "/api/signals/send", alice, { to: carol.profileId });
    await call(t, "POST", "/api/signals/send", carol, { to: alice.profileId });
    await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId });
    const { body: invite } = await call(t, "POST", "/api/invites", alice);
    const { body: second } = await call(t, "POST", "/api/invites", alice);
    assert.equal((await call(t, "DELETE", `/api/invites/${second.code}`, alice)).status, 200);
    const event = await createEvent(t.kv, clock, {
      name: "Golden Hour",
      description: "A toast on the terrace.",
      startsAt: clock.now() + 26 * 3600_000,
      endsAt: clock.now() + 28 * 3600_000,
      maxTickets: 20,
      venue: "The Old Library",
      venueHoldersOnly: true,
    });
    // Bob holds a ticket whose collectible cannot be added (no chain here): its plain state.
    const claimed = await t.fetch(
      `/api/events/${event.id}/tickets`,
      as(bob, { method: "POST", headers: { "idempotency-key": "plain-words-claim" } }),
    );
    assert.equal(claimed.status, 201);
    const seeker = await newSeeker(t.kv, clock);
    const newcomer = await newMember(t); // admitted, no profile yet

    const pages: [path: string, who: typeof alice | typeof seeker | null][] = [
      ["/vault", alice],
      [`/members/${bob.profileId}`, alice],
      [`/members/${carol.profileId}`, alice],
      [`/members/${alice.profileId}`, alice],
      ["/matches", alice],
      ["/matches", bob],
      ["/invites", alice],
      ["/invites", bob],
      ["/events", alice],
      ["/events?when=past", alice],
      [`/events/${event.id}`, alice],
      [`/events/${event.id}`, bob],
      ["/profile/edit", alice],
      ["/profile/score", alice],
      ["/leaderboard", alice],
      ["/onboarding", newcomer],
      [`/invite/${invite.code}`, null],
      [`/invite/${invite.code}`, seeker],
      [`/invite/${invite.code}`, alice],
      ["/signin", null],
      [`/signin?next=/invite/${invite.code}`, null],
      ["/gate", seeker],
      ["/vault", seeker], // refused: not yet admitted
      ["/vault", null], // refused: signed out
      ["/no-such-page", alice],
      ["/", null],
      ["/", alice],
    ];
    for (const [path, who] of pages) {
      const res = await t.fetch(path, who ? as(who) : {});
      assert.ok(res.status < 500, `${path}: ${res.status}`);
      assertPlain(`${path} (${who ? "member" : "anonymous"})`, await res.text());
    }
    // Not even "NFT": the ticket, the invites, and the gate's seal are named in plain words.
    for (
      const [path, who] of [
        ["/", null],
        ["/events", alice],
        [`/events/${event.id}`, bob],
        ["/invites", alice],
        ["/gate", seeker],
      ] as const
    ) {
      const text = readableText(await (await t.fetch(path, who ? as(who) : {})).text());
      assert.doesNotMatch(text, /\bNFTs?\b/, `${path} says NFT`);
    }
    // The invite forms' answers too.
    const refused = await t.fetch("/invites", as(alice, form({ action: "revoke", code: "nope" })));
    assertPlain("/invites (a refused cancel)", await refused.text());
  });
});
