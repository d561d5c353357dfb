/**
 * Photo upload cost, in-process core (the baseline: WASM on the event loop) against the worker
 * pool, in the same run. A 12 MP phone-sized JPEG is generated from a face-api demo photo.
 *
 * - accept: wall time of one accepted upload (median of `ROUNDS`), and the longest event-loop
 *   stall seen while it ran (a 1 ms timer's worst gap);
 * - health p99: `/api/health` latency while 12 members upload the JPEG at once over HTTP.
 *
 * deno task bench:upload [--rounds=5]
 */
import * as ml from "@/ml-wasm/mod.ts";
import { createMlPool } from "@/ml-wasm/pool.ts";
import type { MlCore } from "@/server/deps.ts";
import {
  createProfileOver,
  newMember,
  profilesApp,
  type TestApp,
} from "@/tests/profiles_http/_helpers.ts";
import { percentile, phoneJpeg } from "@/tests/reliability/_upload_fixtures.ts";

const ROUNDS = Number(Deno.args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);
const PARALLEL = 12;

const median = (values: number[]) => percentile(values, 50);

/** Runs `body` while a 1 ms timer records the event loop's worst gap. */
async function watchLoop<T>(body: () => Promise<T>): Promise<{ value: T; stall: number }> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  try {
    const value = await body();
    worst = Math.max(worst, performance.now() - last);
    return { value, stall: worst };
  } finally {
    clearInterval(timer);
  }
}

async function uploader(t: TestApp, origin: string) {
  const member = await newMember(t);
  const profile = await createProfileOver(t, member);
  return async (bytes: Uint8Array) => {
    const res = await fetch(`${origin}/api/profiles/${profile.id}/photos`, {
      method: "POST",
      headers: { "content-type": "image/jpeg", cookie: `aurum_session=${member.cookie}`, origin },
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    await res.body?.cancel();
    if (res.status !== 201) throw new Error(`upload answered ${res.status}`);
  };
}

interface Result {
  acceptMs: number;
  stallMs: number;
  healthP99: number;
  healthSamples: number;
  floodMs: number;
  peakRssMb: number;
}

async function measure(name: string, core: MlCore, jpeg: Uint8Array): Promise<Result> {
  const t = await profilesApp({}, { ml: core });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, t.app.fetch);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  try {
    // Warm-up (V8 tiers, workers start), one fresh member per upload (photo limit, budget).
    for (let i = 0; i < 2; i++) await (await uploader(t, origin))(jpeg);
    const accepts: number[] = [];
    const stalls: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const send = await uploader(t, origin);
      const started = performance.now();
      const { stall } = await watchLoop(() => send(jpeg));
      accepts.push(performance.now() - started);
      stalls.push(stall);
    }
    const senders = await Promise.all(Array.from({ length: PARALLEL }, () => uploader(t, origin)));
    const health: number[] = [];
    const floodStarted = performance.now();
    let done = false;
    let peakRss = Deno.memoryUsage().rss;
    const flood = Promise.all(senders.map((send) => send(jpeg))).finally(() => done = true);
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${origin}/api/health`);
      await res.body?.cancel();
      health.push(performance.now() - started);
      peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await flood;
    const result = {
      acceptMs: median(accepts),
      stallMs: median(stalls),
      healthP99: percentile(health, 99),
      healthSamples: health.length,
      floodMs: performance.now() - floodStarted,
      peakRssMb: peakRss / 1024 / 1024,
    };
    console.log(
      `${name.padEnd(12)} accept ${result.acceptMs.toFixed(0).padStart(5)} ms  ` +
        `loop stall ${result.stallMs.toFixed(0).padStart(4)} ms  ` +
        `health p99 ${
          result.healthP99.toFixed(1).padStart(7)
        } ms (${result.healthSamples} samples)  ` +
        `${PARALLEL} uploads in ${result.floodMs.toFixed(0)} ms, peak RSS ` +
        `${result.peakRssMb.toFixed(0)} MB`,
    );
    return result;
  } finally {
    await server.shutdown();
    await t.close();
  }
}

const jpeg = await phoneJpeg();
console.log(
  `12 MP JPEG (4032×3024, ${(jpeg.length / 1024).toFixed(0)} KiB); ${ROUNDS} rounds; ` +
    `${navigator.hardwareConcurrency} cores`,
);
await ml.initMl();
const before = await measure("in-process", ml, jpeg);
const pool = createMlPool();
let after: Result;
try {
  after = await measure(`pool (${pool.stats().size})`, pool, jpeg);
} finally {
  await pool.close();
}
const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(
  `pool / in-process: accept ${ratio(after.acceptMs, before.acceptMs)}, ` +
    `loop stall ${ratio(after.stallMs, before.stallMs)}, ` +
    `health p99 ${ratio(after.healthP99, before.healthP99)}, ` +
    `flood ${ratio(after.floodMs, before.floodMs)}`,
);
console.log(
  `goals: accept ≤ 150 ms → ${after.acceptMs <= 150 ? "met" : "not met"}; ` +
    `health p99 ≤ 50 ms → ${after.healthP99 <= 50 ? "met" : "not met"}`,
);
