/**
 * Races through the real app over HTTP: Deno.serve on an ephemeral loopback port, a real KV file.
 * The domain tests (tests/social, tests/events) prove the atomic rules on the functions; here the
 * same races go through the whole stack at once — middleware, sessions, rate limits, routes — and
 * the counts are printed.
 */
import assert from "node:assert/strict";
import { createSession } from "@/core/auth/sessions.ts";
import { loadConfig } from "@/core/config.ts";
import { pairId } from "@/core/social/mod.ts";
import { createApp } from "@/server/app.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { admittedMember, validInput } from "@/tests/profiles/_helpers.ts";
import { newSeeker } from "@/tests/social_http/_helpers.ts";

type Clock = Parameters<typeof admittedMember>[1];
const realClock = { now: () => Date.now() } as unknown as Clock;

interface Member {
  wallet: string;
  cookie: string;
}

interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** The app on a temp KV file behind Deno.serve; `body` runs against it, then all is closed. */
async function withServedApp(
  body: (world: {
    kv: Deno.Kv;
    call(
      method: string,
      path: string,
      member: Member,
      payload?: unknown,
      headers?: Record<string, string>,
    ): Promise<Answer>;
    member(): Promise<Member>;
    admin: Member;
  }) => Promise<void>,
): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "aurum-races-" });
  const kv = await Deno.openKv(`${directory}/aurum.kv`);
  const member = async (): Promise<Member> => {
    const wallet = await admittedMember(kv, realClock);
    const { id } = await createSession(kv, realClock, { wallet, method: "dev", ttlSeconds: 3600 });
    return { wallet, cookie: id };
  };
  const admin = await member();
  const config = loadConfig({
    AURUM_ENV: "test",
    DEV_SIGN_IN: "true",
    TRUST_PROXY: "true",
    DATA_DIR: `${directory}/data`,
    ADMIN_WALLETS: admin.wallet,
  });
  const app = await createApp({ kv, logger: createMemoryLogger(), config });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => app.fetch(req),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  try {
    await body({
      kv,
      admin,
      member,
      async call(method, path, who, payload, headers = {}) {
        const response = await fetch(origin + path, {
          method,
          headers: {
            cookie: `aurum_session=${who.cookie}`,
            origin,
            ...(payload === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          body: payload === undefined ? undefined : JSON.stringify(payload),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      },
    });
  } finally {
    await server.shutdown();
    await app.deps.objects.close();
    await app.deps.cache.close();
    await app.deps.ml.close?.();
    await app.deps.vectors.close();
    kv.close();
    await Deno.remove(directory, { recursive: true });
  }
}

/** How many answers had each status (and error code). */
function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, body } of answers) {
    const label = status >= 400 ? `${status} ${body?.error?.code ?? ""}`.trim() : String(status);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

async function count(kv: Deno.Kv, prefix: Deno.KvKey): Promise<number> {
  return (await Array.fromAsync(kv.list({ prefix }))).length;
}

Deno.test("[reliability] races over HTTP: invites (one code × 60 redeemers, 12 parallel creates)", async () => {
  await withServedApp(async ({ kv, call, member }) => {
    const inviter = await member();
    const created = await call("POST", "/api/invites", inviter, {});
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const code = created.body.code;

    const seekers = await Promise.all(Array.from({ length: 60 }, () => newSeeker(kv, realClock)));
    const redeemed = await Promise.all(
      seekers.map((seeker, i) =>
        call("POST", `/api/invites/${code}/redeem`, seeker, undefined, {
          "x-forwarded-for": `10.1.${i >> 8}.${i & 255}`,
        })
      ),
    );
    const redeemCounts = tally(redeemed);
    console.log(`[races] redeem one code × ${seekers.length}:`, redeemCounts);
    assert.equal(redeemed.filter((answer) => answer.status === 200).length, 1, "exactly one wins");
    assert.ok(redeemed.every((answer) => answer.status === 200 || answer.status === 409));
    assert.equal(await count(kv, ["invite_claims"]), 1);
    assert.equal(await count(kv, ["invite_claims_by_claimant"]), 1);

    const creator = await member();
    const creates = await Promise.all(
      Array.from({ length: 12 }, () => call("POST", "/api/invites", creator, {})),
    );
    const createCounts = tally(creates);
    const active = await count(kv, ["invite_slots", creator.wallet]);
    const stored = await count(kv, ["invites_by_inviter", creator.wallet]);
    console.log(
      `[races] 12 parallel creates by one member:`,
      createCounts,
      `slots=${active} stored=${stored}`,
    );
    const ok = creates.filter((answer) => answer.status === 201).length;
    assert.equal(ok, 3, "exactly the allowance of three");
    assert.ok(
      creates.every((answer) => [201, 409, 429].includes(answer.status)),
      "the rest are refused (allowance, or the hourly create limit of 10)",
    );
    assert.equal(active, 3);
    assert.equal(stored, 3, "no invite record beyond the allowance");
  });
});

Deno.test("[reliability] races over HTTP: 90 claims for 25 seats issue exactly 25 tickets", async () => {
  await withServedApp(async ({ kv, call, member, admin }) => {
    const seats = 25;
    const event = await call("POST", "/api/events", admin, {
      name: "Crowded salon",
      description: "Members only.",
      imageUrl: "https://aurum.test/images/salon.jpg",
      startsAt: Date.now() + 24 * 3600_000,
      endsAt: Date.now() + 27 * 3600_000,
      maxTickets: seats,
    });
    assert.equal(event.status, 201, JSON.stringify(event.body));
    const eventId = event.body.event.id;
    const members = await Promise.all(Array.from({ length: 90 }, () => member()));
    const claims = await Promise.all(
      members.map((who, i) =>
        call("POST", `/api/events/${eventId}/tickets`, who, undefined, {
          "idempotency-key": `race-claim-${i}-${crypto.randomUUID()}`,
        })
      ),
    );
    const issued = claims.filter((answer) => answer.status === 201);
    const countKey = (await kv.get<Deno.KvU64>(["event_counts", eventId])).value;
    const held = (await Array.fromAsync(kv.list<{ ticketId: string | null }>({
      prefix: ["event_seats", eventId],
    }))).filter((entry) => entry.value.ticketId !== null);
    console.log(
      `[races] ${members.length} claims for ${seats} seats:`,
      tally(claims),
      `count key=${countKey?.value} seats held=${held.length}`,
    );
    assert.equal(issued.length, seats, "exactly maxTickets issued");
    assert.ok(claims.every((answer) => answer.status === 201 || answer.status === 409));
    assert.equal(countKey?.value, BigInt(seats), "count key equals issued");
    assert.equal(held.length, seats);
    const seatNumbers = issued.map((answer) => answer.body.ticket.seat);
    assert.equal(new Set(seatNumbers).size, seats, "no seat held twice");
    assert.equal(
      new Set(held.map((entry) => entry.value.ticketId)).size,
      seats,
      "no ticket on two seats",
    );
    assert.equal(await count(kv, ["tickets_by_event", eventId]), seats);
  });
});

Deno.test("[reliability] races over HTTP: 30 pairs signal each other at once; parallel sends keep the quota", async () => {
  await withServedApp(async ({ kv, call, member }) => {
    const pairs = 30;
    const members = await Promise.all(Array.from({ length: pairs * 2 }, () => member()));
    const profiles = await Promise.all(members.map(async (who, i) => {
      const created = await call(
        "POST",
        "/api/profiles",
        who,
        validInput({ displayName: `P${i}` }),
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.profile.id as string;
    }));
    const sends = await Promise.all(members.map((who, i) => {
      const partner = i % 2 === 0 ? i + 1 : i - 1;
      return call("POST", "/api/signals/send", who, { to: profiles[partner] });
    }));
    const matched = sends.filter((answer) => answer.body?.matched === true).length;
    const matches = await count(kv, ["mutual_matches"]);
    console.log(
      `[races] ${pairs} pairs signalling each other at once:`,
      tally(sends),
      `matched answers=${matched} match records=${matches}`,
    );
    assert.ok(sends.every((answer) => answer.status === 200));
    assert.equal(matches, pairs, "exactly one match per pair");
    assert.equal(matched, pairs, "one of each pair's two sends made the match");
    assert.equal(await count(kv, ["mutual_matches_by_member"]), pairs * 2);
    for (let i = 0; i < members.length; i += 2) {
      const id = await pairId(members[i].wallet, members[i + 1].wallet);
      assert.ok((await kv.get(["mutual_matches", id])).versionstamp, `pair ${i / 2} matched`);
      const answers = [sends[i], sends[i + 1]];
      assert.equal(answers.filter((answer) => answer.body.matched).length, 1);
      assert.ok(
        answers.every((answer) => answer.body.matchId === null || answer.body.matchId === id),
      );
    }

    // One member signals 24 others at once with a daily quota of 10.
    const sender = members[0];
    const targets = profiles.slice(2, 26);
    const burst = await Promise.all(
      targets.map((to) => call("POST", "/api/signals/send", sender, { to })),
    );
    const quota = await Array.fromAsync(
      kv.list<number>({ prefix: ["signal_quota", sender.wallet] }),
    );
    const used = quota.reduce((sum, entry) => sum + Number(entry.value), 0);
    const stored = await count(kv, ["signals", sender.wallet]);
    console.log(
      `[races] ${targets.length} parallel sends by one member (quota 10, 1 used):`,
      tally(burst),
      `quota counter=${used} signals stored=${stored}`,
    );
    assert.equal(burst.filter((answer) => answer.status === 200).length, 9, "the quota's rest");
    assert.ok(burst.every((answer) => answer.status === 200 || answer.status === 429));
    assert.equal(used, 10, "the counter never passes the quota");
    assert.equal(stored, 10, "one signal per counted send");
  });
});
