/**
 * `deno task bench:signals`: signals/s through `sendSignal` (membership, block, quota and match checks,
 * one atomic commit each; half of the sends complete a pair and create its match) on in-memory KV and
 * on an on-disk KV (temp file), each next to the raw KV atomic-commit rate (check + set of a fresh key)
 * measured on the same store in the same run, at the same concurrency.
 * Raw and signal batches alternate over --rounds so that load drift on a shared machine hits both; the
 * figures are medians over the rounds (the ratio is the median of the per-round ratios).
 * A third batch measures the commit floor: the very commit a send makes (nine checks; five writes,
 * ten when it completes a pair) on fresh keys, with no read before it. It bounds what any
 * implementation that keeps these checks in one commit can reach (floor ratio = raw / floor).
 * Options: --pairs=500 (2 signals each), --concurrency=16, --rounds=5, --json.
 */
import { bindNullifier, ensureMember, grantMembership } from "@/core/members.ts";
import { addMemberEvent, sendSignal } from "@/core/social/mod.ts";
import { systemClock } from "@/core/clock.ts";

const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const PAIRS = Number(args.pairs ?? 500);
const CONCURRENCY = Number(args.concurrency ?? 16);
const ROUNDS = Number(args.rounds ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

interface StoreResult {
  store: string;
  rawCommitsPerSecond: number;
  signalsPerSecond: number;
  ratio: number;
  /** Sends' commits alone (no reads) per second, and raw / that: the best a one-commit send can do. */
  commitFloorPerSecond: number;
  floorRatio: number;
  matches: number;
}

const wallet = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

/** Runs `count` jobs with at most CONCURRENCY in flight; returns the elapsed seconds. */
async function timed(count: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** The commit of send `s` (its checks and writes, as `sendSignal` makes them) on keys of its own. */
async function floorCommit(kv: Deno.Kv, s: number, matches: boolean): Promise<void> {
  const k = (name: string) => ["bench_floor", name, s];
  const now = Date.now();
  const op = kv.atomic();
  for (const name of ["fwd", "rev", "match", "b1", "b2", "quota", "hidden", "m1", "m2"]) {
    op.check({ key: k(name), versionstamp: null });
  }
  op.set(k("fwd"), { id: s, sentAt: now }).set(k("received"), s)
    .set(k("quota"), 1, { expireIn: 86_400_000 });
  const [a, b] = [wallet(1_000_000 + 2 * s), wallet(1_000_001 + 2 * s)];
  if (matches) {
    op.set(k("match"), { id: s, matchedAt: now }).set(k("mm1"), s).set(k("mm2"), s);
    addMemberEvent(op, now, a, { type: "match", pairId: String(s), with: b });
    addMemberEvent(op, now, b, { type: "match", pairId: String(s), with: a });
  } else {
    addMemberEvent(op, now, b, { type: "signal_received" });
  }
  if (!(await op.commit()).ok) throw new Error("floor commit failed");
}

/** A random permutation of 0..n-1 (Fisher–Yates with crypto randomness). */
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = crypto.getRandomValues(new Uint32Array(n));
  for (let i = n - 1; i > 0; i--) {
    const j = random[i] % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function benchStore(store: string, path: string): Promise<StoreResult> {
  const kv = await Deno.openKv(path);
  try {
    const members = 2 * PAIRS;
    await timed(members, async (n) => {
      await ensureMember(kv, systemClock, wallet(n + 1));
      await bindNullifier(kv, systemClock, wallet(n + 1), {
        nullifierHash: `0x${(n + 1).toString(16).padStart(64, "0")}`,
        verificationLevel: "orb",
      });
      await grantMembership(kv, systemClock, wallet(n + 1), { via: "gate_nft" });
    });
    const sends = 2 * PAIRS;
    // Send s: pair s >> 1 in direction s & 1; shuffled so both directions interleave.
    const order = shuffled(sends);
    const perRound = Math.ceil(sends / ROUNDS);
    const raws: number[] = [];
    const signals: number[] = [];
    const ratios: number[] = [];
    const floors: number[] = [];
    const floorRatios: number[] = [];
    for (let round = 0; round * perRound < sends; round++) {
      const first = round * perRound;
      const count = Math.min(perRound, sends - first);
      const rawSeconds = await timed(count, async (i) => {
        const key = ["bench_raw", first + i];
        const result = await kv.atomic().check({ key, versionstamp: null }).set(key, i).commit();
        if (!result.ok) throw new Error("raw commit failed");
      });
      const signalSeconds = await timed(count, async (i) => {
        const s = order[first + i];
        const pair = s >> 1;
        const [a, b] = [wallet(2 * pair + 1), wallet(2 * pair + 2)];
        const [from, to] = s & 1 ? [b, a] : [a, b];
        await sendSignal(kv, systemClock, { from, to, dailyQuota: 1_000_000 });
      });
      const floorSeconds = await timed(count, (i) => floorCommit(kv, first + i, (i & 1) === 1));
      raws.push(count / rawSeconds);
      signals.push(count / signalSeconds);
      ratios.push(rawSeconds / signalSeconds);
      floors.push(count / floorSeconds);
      floorRatios.push(rawSeconds / floorSeconds);
    }
    let matches = 0;
    for await (const _ of kv.list({ prefix: ["mutual_matches"] })) matches++;
    return {
      store,
      rawCommitsPerSecond: Math.round(median(raws)),
      signalsPerSecond: Math.round(median(signals)),
      ratio: Number(median(ratios).toFixed(3)),
      commitFloorPerSecond: Math.round(median(floors)),
      floorRatio: Number(median(floorRatios).toFixed(3)),
      matches,
    };
  } finally {
    kv.close();
  }
}

const dir = await Deno.makeTempDir({ prefix: "bench-signals-" });
try {
  const results = [
    await benchStore("memory", ":memory:"),
    await benchStore("disk", `${dir}/bench.kv`),
  ];
  for (const result of results) {
    if (result.matches !== PAIRS) throw new Error(`${result.store}: ${result.matches} matches`);
  }
  if (args.json === "true") {
    console.log(
      JSON.stringify({ pairs: PAIRS, concurrency: CONCURRENCY, rounds: ROUNDS, results }),
    );
  } else {
    console.log(
      `${
        2 * PAIRS
      } signals (${PAIRS} matches), concurrency ${CONCURRENCY}, medians of ${ROUNDS} rounds`,
    );
    console.log("store    raw commits/s  signals/s  ratio  commit floor/s  floor ratio");
    for (const r of results) {
      console.log(
        `${r.store.padEnd(8)} ${String(r.rawCommitsPerSecond).padStart(13)}  ${
          String(r.signalsPerSecond).padStart(9)
        }  ${r.ratio.toFixed(3)}  ${String(r.commitFloorPerSecond).padStart(14)}  ${
          r.floorRatio.toFixed(3)
        }`,
      );
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
