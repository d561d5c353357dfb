/**
 * A profile change made while Redis is away must be seen by every instance once Redis is back:
 * two app instances share one Redis (a real redis-server on loopback, paused with SIGSTOP or
 * killed and restarted) and one KV file, and talk real HTTP over Deno.serve.
 */
import assert from "node:assert/strict";
import { createSession } from "@/core/auth/sessions.ts";
import { loadConfig } from "@/core/config.ts";
import { type FallbackCache } from "@/core/cache/fallback.ts";
import { createApp } from "@/server/app.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { startRedis } from "@/tests/helpers/redis.ts";
import { admittedMember, validInput } from "@/tests/profiles/_helpers.ts";

const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** One app instance behind its own Deno.serve listener. */
interface Instance {
  name: string;
  cache: FallbackCache;
  /** Real HTTP to this instance as `cookie`'s member (same-origin, so CSRF passes). */
  request(path: string, cookie: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

async function startInstance(
  name: string,
  kvPath: string,
  redisUrl: string,
  dataDir: string,
): Promise<Instance> {
  const kv = await Deno.openKv(kvPath);
  const config = loadConfig({
    AURUM_ENV: "test",
    DEV_SIGN_IN: "true",
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
    async request(path, cookie, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("cookie", `aurum_session=${cookie}`);
      headers.set("origin", origin);
      return await fetch(origin + path, { ...init, headers });
    },
    async close() {
      await server.shutdown();
      await app.deps.objects.close();
      await app.deps.cache.close();
      kv.close();
    },
  };
}

/** A temp KV file, a redis-server and two instances sharing both; `body` runs, then all is closed. */
async function withTwoInstances(
  body: (world: {
    a: Instance;
    b: Instance;
    kv: Deno.Kv;
    redis: Awaited<ReturnType<typeof startRedis>>;
  }) => Promise<void>,
): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "aurum-redis-pause-" });
  const kvPath = `${directory}/kv.sqlite3`;
  const redis = await startRedis();
  const kv = await Deno.openKv(kvPath);
  const instances: Instance[] = [];
  try {
    instances.push(await startInstance("A", kvPath, redis.url, `${directory}/a`));
    instances.push(await startInstance("B", kvPath, redis.url, `${directory}/b`));
    await body({ a: instances[0], b: instances[1], kv, redis });
  } finally {
    for (const instance of instances) await instance.close();
    kv.close();
    await redis.stop();
    await Deno.remove(directory, { recursive: true });
  }
}

/** An admitted member with a session cookie, written straight to the shared KV. */
async function member(kv: Deno.Kv): Promise<{ wallet: string; cookie: string }> {
  const clock = { now: () => Date.now() };
  const wallet = await admittedMember(kv, clock as Parameters<typeof admittedMember>[1]);
  const { id } = await createSession(kv, clock as Parameters<typeof createSession>[1], {
    wallet,
    method: "dev",
    ttlSeconds: 3600,
  });
  return { wallet, cookie: id };
}

/** The pid of the redis-server answering on `port` (from `INFO server`). */
async function redisPid(port: number): Promise<number> {
  const output = await new Deno.Command("redis-cli", {
    args: ["-h", "127.0.0.1", "-p", String(port), "INFO", "server"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const match = new TextDecoder().decode(output.stdout).match(/process_id:(\d+)/);
  if (!match) throw new Error("redis-cli INFO gave no process_id");
  return Number(match[1]);
}

/** Runs a redis-cli command against the server on `port`. */
async function redisCli(port: number, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("redis-cli", {
    args: ["-h", "127.0.0.1", "-p", String(port), "--raw", ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

/** Waits until `instance` serves from Redis again (probing it, as the health check does). */
async function waitRecovered(instance: Instance): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (true) {
    try {
      await instance.cache.probePrimary();
      if (!instance.cache.isDegraded()) return;
    } catch {
      // still away
    }
    if (Date.now() > deadline) throw new Error(`${instance.name} never got Redis back`);
    await sleep(50);
  }
}

/** The status and body of a request, the body drained. */
async function statusOf(response: Response): Promise<number> {
  await response.body?.cancel();
  return response.status;
}

/** Asserts that neither instance shows hidden profile `id` to `viewer`, and that both tell the owner it is hidden. */
async function assertHiddenEverywhere(
  instances: Instance[],
  id: string,
  viewer: string,
  owner: string,
): Promise<void> {
  for (const instance of instances) {
    const where = `on instance ${instance.name}`;
    assert.equal(
      await statusOf(await instance.request(`/api/profiles/${id}`, viewer)),
      404,
      `GET /api/profiles/:id ${where}`,
    );
    const list = await instance.request("/api/profiles", viewer);
    assert.equal(list.status, 200);
    const ids = (await list.json()).values.map((profile: { id: string }) => profile.id);
    assert.ok(!ids.includes(id), `GET /api/profiles lists the hidden profile ${where}`);
    assert.equal(
      await statusOf(await instance.request(`/members/${id}`, viewer)),
      404,
      `GET /members/:id ${where}`,
    );
    const me = await instance.request("/api/profiles/me", owner);
    assert.equal(me.status, 200);
    assert.equal((await me.json()).hidden, true, `GET /api/profiles/me ${where}`);
  }
}

/** Creates the owner's profile on `a` and has the viewer read it on both instances (caching it). */
async function seed(a: Instance, b: Instance, kv: Deno.Kv) {
  const owner = await member(kv);
  const viewer = await member(kv);
  const created = await a.request("/api/profiles", owner.cookie, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(validInput()),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = (await created.json()).profile;
  for (const instance of [a, b]) {
    assert.equal(await statusOf(await instance.request(`/api/profiles/${id}`, viewer.cookie)), 200);
    assert.equal(await statusOf(await instance.request(`/members/${id}`, viewer.cookie)), 200);
  }
  return { owner, viewer, id };
}

/** The owner hides the profile through `instance`. */
async function hide(instance: Instance, id: string, cookie: string): Promise<void> {
  const put = await instance.request(`/api/profiles/${id}`, cookie, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ hidden: true }),
  });
  assert.equal(put.status, 200, await put.clone().text());
  assert.equal((await put.json()).hidden, true);
}

Deno.test("[reliability] hiding a profile while Redis is paused holds on every instance after it resumes", async () => {
  await withTwoInstances(async ({ a, b, kv, redis }) => {
    const { owner, viewer, id } = await seed(a, b, kv);
    // The record as a reader saw it just before the pause (what a cache would hold).
    const staleCopy = JSON.stringify((await kv.get(["profiles", id])).value);

    const pid = await redisPid(redis.port);
    Deno.kill(pid, "SIGSTOP");
    try {
      // The owner looks at their profile, then hides it: the first call finds Redis unresponsive
      // (A degrades to its fallback), the change lands in KV while Redis is still paused.
      assert.equal(await statusOf(await a.request("/api/profiles/me", owner.cookie)), 200);
      await hide(a, id, owner.cookie);
    } finally {
      Deno.kill(pid, "SIGCONT");
    }
    await waitRecovered(a);
    await waitRecovered(b);
    await assertHiddenEverywhere([a, b], id, viewer.cookie, owner.cookie);

    // A read that fetched the old record just before the pause may land its SET after the resume.
    await redisCli(redis.port, "SET", `aurum:profiles:v1:${id}`, staleCopy, "PX", "60000");
    await assertHiddenEverywhere([a, b], id, viewer.cookie, owner.cookie);
  });
});

Deno.test("[reliability] a change made during one Redis outage is not undone by a later outage's fallback", async () => {
  await withTwoInstances(async ({ a, b, kv, redis }) => {
    const { owner, viewer, id } = await seed(a, b, kv);

    // Outage 1: instance B reads the (visible) profile from KV into its in-process fallback.
    await redis.stop({ abruptly: true });
    assert.equal(await statusOf(await b.request(`/api/profiles/${id}`, viewer.cookie)), 200);
    await redis.restart();
    await waitRecovered(a);
    await waitRecovered(b);

    // Between outages: the owner hides the profile on A, with Redis up.
    await hide(a, id, owner.cookie);
    await assertHiddenEverywhere([a, b], id, viewer.cookie, owner.cookie);

    // Outage 2: B must not serve what its fallback kept from outage 1.
    await redis.stop({ abruptly: true });
    try {
      await assertHiddenEverywhere([a, b], id, viewer.cookie, owner.cookie);
    } finally {
      await redis.restart();
    }
  });
});
