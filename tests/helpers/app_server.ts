/**
 * The real app served on a random loopback port for browser tests: `:memory:` KV, a temporary data
 * folder, dev sign-in on; optionally a ticket chain and the queue worker. Everything it opened is
 * closed afterwards, whatever happens.
 */
import { loadConfig } from "@/core/config.ts";
import type { TicketChain } from "@/core/events/mod.ts";
import { createApp } from "@/server/app.ts";
import { startJobs } from "@/server/background/jobs.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";

/** The app as a test drives it. */
export type TestApp = Awaited<ReturnType<typeof createApp>>;

/** What the test gets: the base URL, the app, its KV and its configuration. */
export interface ServedApp {
  url: string;
  app: TestApp;
  kv: Deno.Kv;
  config: ReturnType<typeof loadConfig>;
}

/** Options of {@link withAppServer}. */
export interface AppServerOptions {
  /** The temporary data folder's prefix (names the test in /tmp). */
  prefix?: string;
  /** The chain tickets are minted on (default: none configured). */
  tickets?: TicketChain;
  /** Runs the queue worker in this process (minting, erasures). */
  jobs?: boolean;
}

/** Runs `fn` with the app served on loopback, then shuts everything down. */
export async function withAppServer<T>(
  fn: (served: ServedApp) => Promise<T>,
  options: AppServerOptions = {},
): Promise<T> {
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: options.prefix ?? "aurum-browser-" });
  const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: "true", DATA_DIR: dataDir });
  const app = await createApp(
    {
      kv,
      logger: createMemoryLogger(),
      config,
      ...(options.tickets ? { tickets: options.tickets } : {}),
    },
    { dev: true },
  );
  const jobs = options.jobs ? startJobs(app.deps) : null;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => app.fetch(req, info),
  );
  try {
    return await fn({ url: `http://127.0.0.1:${server.addr.port}`, app, kv, config });
  } finally {
    await server.shutdown();
    await app.deps.cache.close();
    await app.deps.ml.close?.();
    kv.close();
    await jobs;
    await Deno.remove(dataDir, { recursive: true });
  }
}
