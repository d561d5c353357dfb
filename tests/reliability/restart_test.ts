/**
 * Restart mid-traffic: main.ts runs as a real process on a temp KV file while several members send
 * signals, create and redeem invites, claim tickets with idempotency keys and edit their profiles.
 * It is killed (SIGKILL) and, in a second round, shut down (SIGTERM) in the middle of that traffic,
 * then started again on the same KV file. Everything acknowledged with a 2xx must be there, the
 * indexes and counters must agree with the records, and the failed requests, retried with their
 * idempotency keys, must not duplicate anything.
 */
import assert from "node:assert/strict";
import { createSession } from "@/core/auth/sessions.ts";
import { getMember } from "@/core/members.ts";
import { pairId } from "@/core/social/mod.ts";
import { admittedMember, validInput } from "@/tests/profiles/_helpers.ts";
import { newSeeker } from "@/tests/social_http/_helpers.ts";
import { freePort, type MainProcess, spawnMain } from "./_main_process.ts";

const MEMBERS = 8;
const SEEKERS = 12;
const EVENTS_PER_ROUND = 4;
const ROUNDS = ["SIGKILL", "SIGTERM"] as const;

type Clock = Parameters<typeof admittedMember>[1];
const realClock = { now: () => Date.now() } as unknown as Clock;

interface Member {
  wallet: string;
  cookie: string;
  profileId: string;
}

/** What one request ended as: a 2xx, a deliberate refusal (4xx), or a failure (network, 5xx). */
type Outcome =
  // deno-lint-ignore no-explicit-any
  | { kind: "ack"; status: number; body: any }
  | { kind: "refused"; status: number; code: string }
  | { kind: "failed"; reason: string };

/** HTTP to the one port every incarnation of the server listens on. */
class Client {
  constructor(readonly origin: string) {}

  async call(
    method: string,
    path: string,
    cookie: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Outcome> {
    const init: RequestInit = {
      method,
      headers: {
        cookie: `aurum_session=${cookie}`,
        origin: this.origin,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    };
    let response: Response;
    try {
      response = await fetch(this.origin + path, init);
    } catch (error) {
      return { kind: "failed", reason: (error as Error).name };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { kind: "failed", reason: `body ${(error as Error).name}` };
    }
    if (response.status >= 500) return { kind: "failed", reason: `HTTP ${response.status}` };
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch { /* not JSON */ }
    if (response.status >= 400) {
      return { kind: "refused", status: response.status, code: parsed?.error?.code ?? text };
    }
    return { kind: "ack", status: response.status, body: parsed };
  }
}

/** The ledger of what the server acknowledged, refused and failed. */
class Ledger {
  acknowledged = 0;
  refused = 0;
  failed = 0;
  /** `from>to` of every acknowledged signal. */
  signals = new Set<string>();
  /** `wallet|key` → the ticket id and seat the server answered with. */
  tickets = new Map<string, { id: string; seat: number; eventId: string }>();
  /** Invite ids acknowledged as created. */
  invites = new Set<string>();
  /** Seeker wallets whose redemption was acknowledged. */
  redeemed = new Set<string>();
  /** Per member: the last acknowledged display name and every name tried after it. */
  names = new Map<string, { acked: string | null; later: string[] }>();
  /** Requests to retry once the server is back. */
  retries: (() => Promise<Outcome>)[] = [];

  count(outcome: Outcome): Outcome {
    if (outcome.kind === "ack") this.acknowledged++;
    else if (outcome.kind === "refused") this.refused++;
    else this.failed++;
    return outcome;
  }
}

async function seedMembers(kvPath: string) {
  const kv = await Deno.openKv(kvPath);
  try {
    const wallets: string[] = [];
    const cookies: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const wallet = await admittedMember(kv, realClock);
      const { id } = await createSession(kv, realClock, {
        wallet,
        method: "dev",
        ttlSeconds: 3600,
      });
      wallets.push(wallet);
      cookies.push(id);
    }
    const seekers = [];
    for (let i = 0; i < SEEKERS * ROUNDS.length; i++) seekers.push(await newSeeker(kv, realClock));
    return { wallets, cookies, seekers };
  } finally {
    kv.close();
  }
}

/** One member's traffic: a bounded sequence of mixed requests, stopping at the first failure. */
async function memberTraffic(
  client: Client,
  ledger: Ledger,
  members: Member[],
  index: number,
  eventIds: string[],
  invitePool: string[],
  round: number,
): Promise<void> {
  const me = members[index];
  const names = ledger.names.get(me.wallet)!;
  for (let step = 0; step < 60; step++) {
    let outcome: Outcome;
    let retry: (() => Promise<Outcome>) | null = null;
    switch (step % 4) {
      case 0: {
        const other = members[(index + 1 + step / 4 + round * 3) % members.length];
        if (other === me) continue;
        const send = () =>
          client.call("POST", "/api/signals/send", me.cookie, { to: other.profileId });
        const key = `${me.wallet}>${other.wallet}`;
        outcome = await send();
        if (outcome.kind === "ack") ledger.signals.add(key);
        retry = async () => {
          const again = await send();
          if (again.kind === "ack") ledger.signals.add(key);
          return again;
        };
        break;
      }
      case 1: {
        const eventId = eventIds[(step >> 2) % eventIds.length];
        const idempotencyKey = `claim-${me.wallet}-${eventId}`;
        const claim = () =>
          client.call("POST", `/api/events/${eventId}/tickets`, me.cookie, undefined, {
            "idempotency-key": idempotencyKey,
          });
        const record = (result: Outcome) => {
          if (result.kind !== "ack") return;
          const { id, seat } = result.body.ticket;
          const key = `${me.wallet}|${idempotencyKey}`;
          const earlier = ledger.tickets.get(key);
          if (earlier) assert.equal(earlier.id, id, "a replayed claim answers the same ticket");
          ledger.tickets.set(key, { id, seat, eventId });
        };
        outcome = await claim();
        record(outcome);
        retry = async () => {
          const again = await claim();
          record(again);
          return again;
        };
        break;
      }
      case 2: {
        const name = `M${index} r${round} s${step}`;
        names.later.push(name);
        const edit = () =>
          client.call("PUT", `/api/profiles/${me.profileId}`, me.cookie, { displayName: name });
        const record = (result: Outcome) => {
          if (result.kind === "ack") names.acked = name, names.later = [];
        };
        outcome = await edit();
        record(outcome);
        retry = async () => {
          const again = await edit();
          record(again);
          return again;
        };
        break;
      }
      default: {
        outcome = await client.call("POST", "/api/invites", me.cookie, {});
        if (outcome.kind === "ack") {
          ledger.invites.add(outcome.body.id);
          invitePool.push(outcome.body.code);
        }
      }
    }
    ledger.count(outcome);
    if (outcome.kind === "failed") {
      if (retry) ledger.retries.push(retry);
      return;
    }
  }
}

/** Seekers redeem the codes members create, each seeker at most one code, from its own IP. */
async function seekerTraffic(
  client: Client,
  ledger: Ledger,
  seekers: { wallet: string; cookie: string }[],
  invitePool: string[],
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  for (let turn = 0; turn < 400 && next < seekers.length && !stopped(); turn++) {
    const code = invitePool.shift();
    if (!code) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    const seeker = seekers[next++];
    const headers = { "x-forwarded-for": `10.0.${next}.${turn % 250}` };
    const redeem = () =>
      client.call("POST", `/api/invites/${code}/redeem`, seeker.cookie, undefined, headers);
    const outcome = ledger.count(await redeem());
    if (outcome.kind === "ack") ledger.redeemed.add(seeker.wallet);
    if (outcome.kind === "failed") {
      ledger.retries.push(async () => {
        const again = await redeem();
        if (again.kind === "ack") ledger.redeemed.add(seeker.wallet);
        return again;
      });
      return;
    }
  }
}

/** Reads every entry under `prefix`. */
async function entries(kv: Deno.Kv, prefix: Deno.KvKey) {
  return await Array.fromAsync(kv.list<unknown>({ prefix }));
}

/** Checks the KV file against the ledger; returns how many acknowledged items were verified. */
async function verify(kvPath: string, ledger: Ledger, eventIds: string[]): Promise<number> {
  const kv = await Deno.openKv(kvPath);
  let verified = 0;
  try {
    // Signals: each acknowledged one exists with its recipient entry; no orphans either way.
    const signals = await entries(kv, ["signals"]);
    const signalIds = new Map<string, string>();
    for (const { key, value } of signals) {
      const [, from, to] = key as string[];
      signalIds.set(`${from}>${to}`, (value as { id: string }).id);
      const index = await kv.get(["signals_by_recipient", to, from]);
      assert.ok(index.versionstamp, `signal ${from}>${to} has its recipient entry`);
    }
    for (const { key } of await entries(kv, ["signals_by_recipient"])) {
      const [, to, from] = key as string[];
      assert.ok(signalIds.has(`${from}>${to}`), `recipient entry ${to}<${from} has its signal`);
    }
    for (const key of ledger.signals) {
      assert.ok(signalIds.has(key), `acknowledged signal ${key} survived`);
      verified++;
    }
    // Matches: exactly the pairs with both signals, each with both member entries.
    const matches = new Set<string>();
    for (const { key, value } of await entries(kv, ["mutual_matches"])) {
      const id = key[1] as string;
      matches.add(id);
      const [a, b] = (value as { members: string[] }).members;
      assert.ok(signalIds.has(`${a}>${b}`) && signalIds.has(`${b}>${a}`), `match ${id} signals`);
      assert.equal(await pairId(a, b), id);
      for (const wallet of [a, b]) {
        assert.ok((await kv.get(["mutual_matches_by_member", wallet, id])).versionstamp);
      }
    }
    for (const key of signalIds.keys()) {
      const [from, to] = key.split(">");
      if (signalIds.has(`${to}>${from}`)) {
        assert.ok(matches.has(await pairId(from, to)), `both signals of ${key} make a match`);
      }
    }
    const memberMatches = await entries(kv, ["mutual_matches_by_member"]);
    assert.equal(memberMatches.length, matches.size * 2, "no orphan member match entries");
    // The quota counters equal the signals each member has sent.
    const quota = new Map<string, number>();
    for (const { key, value } of await entries(kv, ["signal_quota"])) {
      quota.set(key[1] as string, (quota.get(key[1] as string) ?? 0) + Number(value));
    }
    const sent = new Map<string, number>();
    for (const key of signalIds.keys()) {
      const from = key.split(">")[0];
      sent.set(from, (sent.get(from) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(quota), Object.fromEntries(sent), "quota = signals sent");

    // Tickets: each acknowledged one exists once, on its seat; counts equal the held seats.
    const tickets = new Map<string, { eventId: string; wallet: string; seat: number }>();
    for (const { value } of await entries(kv, ["tickets"])) {
      const ticket = value as { id: string; eventId: string; wallet: string; seat: number };
      tickets.set(ticket.id, ticket);
    }
    for (const [key, acked] of ledger.tickets) {
      const ticket = tickets.get(acked.id);
      assert.ok(ticket, `acknowledged ticket ${acked.id} survived`);
      assert.equal(ticket.seat, acked.seat, "on the seat it was given");
      const [wallet, idempotencyKey] = key.split("|");
      assert.equal((await kv.get(["ticket_claims", wallet, idempotencyKey])).value, acked.id);
      verified++;
    }
    for (const eventId of eventIds) {
      const seats = (await entries(kv, ["event_seats", eventId])).filter((entry) =>
        (entry.value as { ticketId: string | null }).ticketId !== null
      );
      const byEvent = await entries(kv, ["tickets_by_event", eventId]);
      const holders = await entries(kv, ["ticket_holders", eventId]);
      const seatTickets = seats.map((entry) => (entry.value as { ticketId: string }).ticketId);
      assert.equal(new Set(seatTickets).size, seatTickets.length, "no ticket on two seats");
      for (const entry of seats) {
        const ticket = tickets.get((entry.value as { ticketId: string }).ticketId);
        assert.ok(ticket, "a seat's ticket exists");
        assert.equal(ticket.seat, entry.key[2], "and sits there");
      }
      for (const entry of byEvent) assert.ok(tickets.has(entry.value as string), "no orphan");
      const inEvent = [...tickets.values()].filter((ticket) => ticket.eventId === eventId);
      assert.equal(byEvent.length, inEvent.length);
      assert.equal(seats.length, inEvent.length, "one seat per ticket");
      assert.equal(holders.length, inEvent.length, "one holder entry per ticket");
      assert.equal(
        new Set(inEvent.map((ticket) => ticket.wallet)).size,
        inEvent.length,
        "one ticket per member per event",
      );
      const count = (await kv.get<Deno.KvU64>(["event_counts", eventId])).value;
      assert.equal(Number(count?.value ?? 0n), inEvent.length, "event count = tickets held");
    }
    for (const { value } of await entries(kv, ["ticket_claims"])) {
      assert.ok(tickets.has(value as string), "no claim key without its ticket");
    }

    // Invites: acknowledged codes exist with their code index; acknowledged redemptions admitted.
    for (const id of ledger.invites) {
      const invite = (await kv.get<{ code: string }>(["invites", id])).value;
      assert.ok(invite, `acknowledged invite ${id} survived`);
      assert.equal((await kv.get(["invites_by_code", invite.code])).value, id);
      verified++;
    }
    for (const { value } of await entries(kv, ["invites_by_code"])) {
      assert.ok((await kv.get(["invites", value as string])).versionstamp, "no orphan code");
    }
    for (const wallet of ledger.redeemed) {
      assert.ok((await kv.get(["invite_claims_by_claimant", wallet])).versionstamp, "claimed");
      assert.equal((await getMember(kv, wallet))?.membership.admitted, true, "and admitted");
      verified++;
    }

    // Profiles: the name is the last acknowledged edit, or one tried after it.
    for (const [wallet, names] of ledger.names) {
      if (names.acked === null && names.later.length === 0) continue;
      const id = (await kv.get<string>(["profiles_by_wallet", wallet])).value;
      const profile = id ? (await kv.get<{ displayName: string }>(["profiles", id])).value : null;
      const allowed = [names.acked, ...names.later].filter((name) => name !== null);
      if (names.acked !== null) verified++;
      assert.ok(
        profile && allowed.includes(profile.displayName),
        `profile name ${profile?.displayName} is one of ${allowed.join(", ")}`,
      );
    }
  } finally {
    kv.close();
  }
  return verified;
}

Deno.test("[reliability] restart mid-traffic (SIGKILL, then SIGTERM): nothing acknowledged is lost", async () => {
  const directory = await Deno.makeTempDir({ prefix: "aurum-restart-" });
  const kvPath = `${directory}/aurum.kv`;
  const port = freePort();
  const client = new Client(`http://127.0.0.1:${port}`);
  const seeded = await seedMembers(kvPath);
  const env = {
    DATA_DIR: `${directory}/data`,
    KV_PATH: kvPath,
    DEV_SIGN_IN: "true",
    TRUST_PROXY: "true",
    SIGNAL_DAILY_QUOTA: "1000",
    ADMIN_WALLETS: seeded.wallets[0],
  };
  let main: MainProcess | null = await spawnMain(port, env);
  try {
    const members: Member[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const cookie = seeded.cookies[i];
      const created = await client.call(
        "POST",
        "/api/profiles",
        cookie,
        validInput({ displayName: `M${i}` }),
      );
      assert.equal(created.kind, "ack", JSON.stringify(created));
      if (created.kind !== "ack") return;
      members.push({ wallet: seeded.wallets[i], cookie, profileId: created.body.profile.id });
    }
    const eventIds: string[] = [];
    for (let i = 0; i < EVENTS_PER_ROUND * ROUNDS.length; i++) {
      const created = await client.call("POST", "/api/events", members[0].cookie, {
        name: `Salon ${i}`,
        description: "Members only.",
        imageUrl: "https://aurum.test/images/salon.jpg",
        startsAt: Date.now() + 24 * 3600_000,
        endsAt: Date.now() + 27 * 3600_000,
        maxTickets: 100,
      });
      assert.equal(created.kind, "ack", JSON.stringify(created));
      if (created.kind === "ack") eventIds.push(created.body.event.id);
    }

    const ledger = new Ledger();
    members.forEach((member, i) => ledger.names.set(member.wallet, { acked: `M${i}`, later: [] }));

    for (const [round, signal] of ROUNDS.entries()) {
      const before = { ...ledger, retries: ledger.retries.length };
      const roundEvents = eventIds.slice(round * EVENTS_PER_ROUND, (round + 1) * EVENTS_PER_ROUND);
      const invitePool: string[] = [];
      let stopped = false;
      const traffic = Promise.all([
        ...members.map((_, i) =>
          memberTraffic(client, ledger, members, i, roundEvents, invitePool, round)
        ),
        seekerTraffic(
          client,
          ledger,
          seeded.seekers.slice(round * SEEKERS, (round + 1) * SEEKERS),
          invitePool,
          () => stopped,
        ),
      ]);
      // Mid-traffic: once a good share of the round's requests were answered.
      const deadline = Date.now() + 10_000;
      while (ledger.acknowledged - before.acknowledged < 60 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const status = await main!.stop(signal);
      main = null;
      if (signal === "SIGTERM") assert.equal(status.code, 0, "a graceful stop exits 0");
      stopped = true;
      await traffic;
      const roundFailed = ledger.failed - before.failed;

      main = await spawnMain(port, env);
      const retries = ledger.retries.splice(0);
      let retriedOk = 0;
      for (const retry of retries) {
        const outcome = await retry();
        assert.notEqual(
          outcome.kind,
          "failed",
          `a retry after the restart failed: ${JSON.stringify(outcome)}`,
        );
        if (outcome.kind === "ack") retriedOk++;
      }
      // Let the restarted server settle, then read the KV file with the server stopped.
      assert.equal((await main.stop("SIGTERM")).code, 0, main.output());
      main = null;
      const verified = await verify(kvPath, ledger, eventIds);
      console.log(
        `[restart ${signal}] acknowledged=${ledger.acknowledged - before.acknowledged} ` +
          `refused=${ledger.refused - before.refused} failed=${roundFailed} ` +
          `retried=${retries.length} (ok ${retriedOk}) verified=${verified} ` +
          `(signals ${ledger.signals.size}, tickets ${ledger.tickets.size}, ` +
          `invites ${ledger.invites.size}, redeemed ${ledger.redeemed.size})`,
      );
      assert.ok(ledger.acknowledged - before.acknowledged >= 60, "traffic ran before the stop");
      if (round + 1 < ROUNDS.length) main = await spawnMain(port, env);
    }
  } finally {
    await main?.stop("SIGKILL");
    await Deno.remove(directory, { recursive: true });
  }
});
