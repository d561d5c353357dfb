/**
 * `deno task bench:discovery`: server time of `GET /api/discovery/recommended` for one member among
 * --members=10000 (admitted, each with a profile and an analysed main photo) on the real app over
 * `:memory:` KV: the first request (which builds the candidate pool) and the median and p95 of
 * --requests=30 warm ones (each ranks every candidate, checks the hard rules of the picks against
 * KV and records its impressions). Options: --members, --requests, --json.
 */
import { createSession } from "@/core/auth/sessions.ts";
import { createManualClock } from "@/core/clock.ts";
import * as ml from "@/ml-wasm/mod.ts";
import { testApp } from "@/tests/auth_http/helpers.ts";
import { createPopulation, seeded } from "@/tests/discovery/_population.ts";
import { NOW } from "@/tests/profiles/_helpers.ts";

const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const MEMBERS = Number(args.members ?? 10_000);
const REQUESTS = Number(args.requests ?? 30);

const clock = createManualClock(NOW);
const t = await testApp({}, { clock });
try {
  const spec = (await ml.defaultModel()).features;
  const started = performance.now();
  const [viewer] = await createPopulation(t.kv, clock, spec, MEMBERS, seeded(1));
  const setupSeconds = (performance.now() - started) / 1000;
  const { id } = await createSession(t.kv, clock, {
    wallet: viewer.wallet,
    method: "dev",
    ttlSeconds: 3600,
  });
  const request = async () => {
    const began = performance.now();
    const res = await t.fetch("/api/discovery/recommended", {
      headers: { cookie: `aurum_session=${id}` },
    });
    const body = await res.json();
    const ms = performance.now() - began;
    if (res.status !== 200 || body.values.length !== 20) {
      throw new Error(`bad answer ${res.status}`);
    }
    return ms;
  };
  const first = await request();
  const warm: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    clock.advance(1000);
    warm.push(await request());
  }
  warm.sort((a, b) => a - b);
  const result = {
    members: MEMBERS,
    setupSeconds: Math.round(setupSeconds),
    firstMs: Math.round(first),
    medianMs: Number(warm[warm.length >> 1].toFixed(1)),
    p95Ms: Number(warm[Math.floor(warm.length * 0.95)].toFixed(1)),
    targetMs: 50,
  };
  if (args.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `GET /api/discovery/recommended among ${MEMBERS} members: first ${result.firstMs} ms ` +
        `(builds the pool), warm median ${result.medianMs} ms, p95 ${result.p95Ms} ms ` +
        `(target ≤ 50 ms; setup ${result.setupSeconds} s)`,
    );
  }
} finally {
  await t.close();
}
