/**
 * Redis killed during rate-limited traffic: two app instances share one redis-server over real HTTP
 * (Deno.serve on loopback). While Redis is up the limit is shared; killed mid-traffic, no request
 * fails with a 5xx and each instance keeps applying the limit on its own; once Redis is back both
 * count in it again.
 */
import assert from "node:assert/strict";
import { AUTH_RATE_LIMITS } from "@/core/auth/mod.ts";
import type { FallbackCache } from "@/core/cache/fallback.ts";
import { loadConfig } from "@/core/config.ts";
import { createApp } from "@/server/app.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { startRedis } from "@/tests/helpers/redis.ts";

const LIMIT = AUTH_RATE_LIMITS.nonceByIp.limit;

interface Instance {
  name: string;
  cache: FallbackCache;
  /** `GET /api/auth/nonce` as client `ip`; the status, or 0 when the request itself failed. */
  nonce(ip: string): Promise<number>;
  close(): Promise<void>;
}

async function startInstance(name: string, redisUrl: string, dataDir: string): Promise<Instance> {
  const kv = await Deno.openKv(":memory:");
  const config = loadConfig({
    AURUM_ENV: "test",
    TRUST_PROXY: "true",
    DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
  });
  const app = await createApp({ kv, logger: createMemoryLogger(), config });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => app.fetch(req),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    name,
    cache: app.deps.cache as FallbackCache,
    async nonce(ip) {
      try {
        const response = await fetch(`${origin}/api/auth/nonce`, {
          headers: { "x-forwarded-for": ip },
          signal: AbortSignal.timeout(10_000),
        });
        await response.body?.cancel();
        return response.status;
      } catch {
        return 0;
      }
    },
    async close() {
      await server.shutdown();
      await app.deps.objects.close();
      await app.deps.cache.close();
      await app.deps.ml.close?.();
      await app.deps.vectors.close();
      kv.close();
    },
  };
}

/** `n` requests as `ip` to each instance at once; the statuses per instance. */
async function burst(instances: Instance[], ip: string, n: number): Promise<number[][]> {
  return await Promise.all(
    instances.map((instance) => Promise.all(Array.from({ length: n }, () => instance.nonce(ip)))),
  );
}

const ok = (statuses: number[]) => statuses.filter((status) => status === 200).length;

function tally(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function waitRecovered(instance: Instance): Promise<number> {
  const started = Date.now();
  while (true) {
    try {
      await instance.cache.probePrimary();
      if (!instance.cache.isDegraded()) return Date.now() - started;
    } catch {
      // still away
    }
    if (Date.now() - started > 10_000) throw new Error(`${instance.name} never got Redis back`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("[reliability] Redis killed during rate-limited traffic: no 5xx, limits hold per instance, recovery", async () => {
  const directory = await Deno.makeTempDir({ prefix: "aurum-redis-kill-" });
  const redis = await startRedis();
  const instances: Instance[] = [];
  try {
    instances.push(await startInstance("A", redis.url, `${directory}/a`));
    instances.push(await startInstance("B", redis.url, `${directory}/b`));
    const [a, b] = instances;

    // Redis up: one limit shared by both instances.
    const shared = (await burst(instances, "10.9.0.1", 20)).flat();
    console.log(`[redis kill] up, 2 × 20 as one client:`, tally(shared));
    assert.equal(ok(shared), LIMIT, "the shared limit");

    // Kill Redis while traffic from eight clients runs through both instances: a client gets at
    // most one window in Redis before the kill plus one window on each instance after it.
    const statuses: number[] = [];
    const perClient = new Map<string, number>();
    let running = true;
    const traffic = Promise.all(
      instances.flatMap((instance) =>
        Array.from({ length: 4 }, async (_, worker) => {
          for (let i = 0; i < 300 && running; i++) {
            const ip = `10.9.1.${(worker * 2 + i) % 8}`;
            const status = await instance.nonce(ip);
            statuses.push(status);
            if (status === 200) perClient.set(ip, (perClient.get(ip) ?? 0) + 1);
          }
        })
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await redis.stop({ abruptly: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await traffic;
    console.log(
      `[redis kill] traffic across the kill (8 clients):`,
      tally(statuses),
      `most allowed for one client=${Math.max(...perClient.values())} (bound ${3 * LIMIT})`,
    );
    assert.ok(statuses.every((status) => status === 200 || status === 429), "no 5xx, no failure");
    assert.ok(statuses.includes(429), "limits kept applying");
    for (const [ip, allowed] of perClient) assert.ok(allowed <= 3 * LIMIT, `${ip}: ${allowed}`);
    assert.ok(a.cache.isDegraded() && b.cache.isDegraded(), "both noticed");

    // Away: each instance applies the limit on its own.
    const [onA, onB] = await burst(instances, "10.9.0.2", LIMIT + 10);
    console.log(
      `[redis kill] away, 2 × ${LIMIT + 10} as one client: A`,
      tally(onA),
      "B",
      tally(onB),
    );
    assert.equal(ok(onA), LIMIT, "A limits on its own");
    assert.equal(ok(onB), LIMIT, "B limits on its own");
    assert.ok([...onA, ...onB].every((status) => status === 200 || status === 429));

    // Back: both return to Redis and the limit is shared again.
    await redis.restart();
    const recovered = [await waitRecovered(a), await waitRecovered(b)];
    const again = (await burst(instances, "10.9.0.3", 20)).flat();
    console.log(`[redis kill] back after ${recovered.join("/")} ms, 2 × 20:`, tally(again));
    assert.equal(ok(again), LIMIT, "shared again");
  } finally {
    for (const instance of instances) await instance.close();
    await redis.stop();
    await Deno.remove(directory, { recursive: true });
  }
});
