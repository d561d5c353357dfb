/** Redis-backed cache and rate limiter (ioredis), so several instances share values and limits. */
import { Redis } from "ioredis";
import { z } from "zod";
import { assertPositive, type Cache, type RateLimitResult } from "./types.ts";

/** Options for {@link createRedisCache}. */
export interface RedisCacheOptions {
  /** `redis://host:port/db` connection string. */
  url: string;
  /** Prepended to every key so apps can share a Redis; default `aurum:`. */
  keyPrefix?: string;
  /** A command that takes longer than this fails (and the fallback takes over); default 500 ms. */
  commandTimeoutMs?: number;
  /** Called on connection-level errors (the client keeps reconnecting in the background). */
  onConnectionError?: (error: Error) => void;
}

/** A Redis cache that also exposes its connection state. */
export interface RedisCache extends Cache {
  /** ioredis connection status: `connecting`, `ready`, `reconnecting`, `end`, … */
  status(): string;
  /** Resolves true once connected, or false after `timeoutMs` (the client keeps trying). */
  whenReady(timeoutMs: number): Promise<boolean>;
}

// INCR the window counter; start the window's expiry on the first hit (or if it was lost).
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const hitReplySchema = z.tuple([z.number().int().positive(), z.number().int()]);

/** Connects to Redis and returns a {@link Cache}; commands fail fast while disconnected. */
export function createRedisCache(options: RedisCacheOptions): RedisCache {
  const prefix = options.keyPrefix ?? "aurum:";
  let closing = false;
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2_000,
    // null ends the client: what `close()` asks for while a reconnect is pending.
    retryStrategy: (attempt) => closing ? null : Math.min(50 * attempt, 1_000),
  });
  client.on("error", (error: Error) => options.onConnectionError?.(error));

  return {
    status: () => client.status,
    whenReady(timeoutMs) {
      if (client.status === "ready") return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (ready: boolean) => {
          clearTimeout(timer);
          client.off("ready", onReady);
          resolve(ready);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.on("ready", onReady);
      });
    },
    async get(key) {
      return await client.get(prefix + key);
    },
    async set(key, value, ttlSeconds) {
      assertPositive("ttlSeconds", ttlSeconds);
      await client.set(prefix + key, value, "PX", Math.ceil(ttlSeconds * 1000));
    },
    async delete(key) {
      await client.del(prefix + key);
    },
    async hit(key, limit, windowSeconds): Promise<RateLimitResult> {
      assertPositive("limit", limit);
      assertPositive("windowSeconds", windowSeconds);
      const windowMs = Math.ceil(windowSeconds * 1000);
      const reply = await client.eval(HIT_SCRIPT, 1, `${prefix}rl:${key}`, windowMs);
      const [count, ttlMs] = hitReplySchema.parse(reply);
      const allowed = count <= limit;
      return {
        allowed,
        remaining: Math.max(0, limit - count),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ttlMs / 1000)),
      };
    },
    async close() {
      closing = true;
      if (client.status === "end") return;
      const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
      if (client.status === "reconnecting") {
        // A retry is pending. Cancelling it would leave ioredis's timer on the dead socket
        // running; instead the retry strategy now says stop, so the attempt ends the client (or,
        // if Redis is back, connects and is quit below).
        await Promise.race([ended, new Promise<void>((resolve) => client.once("ready", resolve))]);
        if ((client.status as string) === "end") return;
      }
      if (client.status === "ready") {
        await client.quit().catch(() => client.disconnect());
      } else {
        client.disconnect();
      }
      await ended;
    },
  };
}
