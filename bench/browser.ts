/**
 * `deno task bench:browser`: first-load figures of three pages in Chromium (playwright-core, CDP) on
 * an emulated slow phone: 4× CPU throttling, 400 ms RTT, 400 kbit/s down / 400 kbit/s up, viewport
 * 390×844, cache disabled. The real app (`main.ts`, a subprocess) serves a seeded temp KV
 * (`tasks/seed.ts`); `/vault` is loaded signed in as the dev persona `keyholder` (given a profile
 * here), `/events/:id` is the first seeded event.
 * Per page: LCP (`largest-contentful-paint`), FCP, total blocking time (long tasks after FCP, each
 * beyond 50 ms) and the bytes transferred (CDP `encodedDataLength`, compressed, headers included),
 * medians over --runs (default 3). Targets: LCP ≤ 1500 ms, TBT ≤ 150 ms. Options: --runs=N, --json,
 * --waterfall (each request of every page's first run: start, end and bytes, from navigation).
 */
import { chromium } from "playwright-core";
import { createProfile } from "@/core/profiles/mod.ts";
import { DEV_PERSONAS } from "@/core/auth/dev_personas.ts";
import { systemClock } from "@/core/clock.ts";

const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const RUNS = Number(args.runs ?? 3);
/** The network profile: Chrome's `Network.emulateNetworkConditions` (latency is the added RTT). */
const NETWORK = {
  offline: false,
  latency: 400,
  downloadThroughput: (400 * 1000) / 8,
  uploadThroughput: (400 * 1000) / 8,
};
const CPU_THROTTLING = 4;
const TARGET_LCP_MS = 1500;
const TARGET_TBT_MS = 150;

const root = new URL("../", import.meta.url).pathname;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Collects LCP, FCP and long tasks from the start of the page. */
const OBSERVE = `
  window.__perf = { lcp: 0, fcp: 0, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.lcp = e.renderTime || e.loadTime || e.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") window.__perf.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
`;

interface RequestEvent {
  requestId: string;
  timestamp: number;
  request: { url: string };
}
interface LoadedEvent {
  requestId: string;
  timestamp: number;
  encodedDataLength: number;
}

/** One request as `--waterfall` prints it: ms from the first request to its start and its end. */
function waterfallLine(
  request: { url: string; at: number },
  loaded: LoadedEvent,
  started: Map<string, { at: number }>,
): string {
  const zero = started.values().next().value!.at;
  const ms = (seconds: number) => String(Math.round((seconds - zero) * 1000)).padStart(6);
  const url = new URL(request.url);
  return `  ${ms(request.at)} ${ms(loaded.timestamp)} ${
    String(loaded.encodedDataLength).padStart(7)
  }  ${(url.pathname + url.search).slice(0, 80)}`;
}

interface PageFigures {
  page: string;
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  transferredBytes: number;
  requests: number;
}

const dir = await Deno.makeTempDir({ prefix: "bench-browser-" });
const port = freePort();
const origin = `http://127.0.0.1:${port}`;
const env = {
  AURUM_ENV: "development",
  DATA_DIR: dir,
  KV_PATH: `${dir}/aurum.kv`,
  DEV_SIGN_IN: "true",
  PORT: String(port),
  HOSTNAME: "127.0.0.1",
  LOG_LEVEL: "error",
  PUBLIC_ORIGIN: origin,
};
let server: Deno.ChildProcess | null = null;
try {
  const seed = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/seed.ts"],
    cwd: root,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!seed.success) throw new Error(`seed failed: ${new TextDecoder().decode(seed.stderr)}`);

  server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: root,
    env,
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  for (let i = 0;; i++) {
    try {
      const res = await fetch(`${origin}/api/health`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error("the server did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const signIn = await fetch(`${origin}/api/auth/dev`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ persona: "keyholder" }),
  });
  if (!signIn.ok) throw new Error(`dev sign-in: ${signIn.status} ${await signIn.text()}`);
  await signIn.body?.cancel();
  const session = /^([^=]+)=([^;]*)/.exec(signIn.headers.get("set-cookie") ?? "");
  if (!session) throw new Error("dev sign-in set no cookie");
  const keyholder = DEV_PERSONAS.find((p) => p.id === "keyholder")!.wallet;

  const kv = await Deno.openKv(env.KV_PATH);
  let eventId: string;
  let profileId: string;
  try {
    ({ id: profileId } = await createProfile({ kv, clock: systemClock }, keyholder, {
      displayName: "Keyholder",
      dateOfBirth: "2000-01-01",
      university: "Imperial College London",
      graduationYear: 2026,
      vibeTags: ["night_owl", "bookworm", "chess"],
      gender: "woman",
      interestedIn: ["everyone"],
      region: "europe",
    }));
    const first = await kv.list({ prefix: ["events"] }, { limit: 1 }).next();
    if (first.done) throw new Error("the seed made no event");
    eventId = String(first.value.key[1]);
  } finally {
    kv.close();
  }

  // The vault asks for a main photo first: the keyholder uploads one (one face), as members do.
  const upload = await fetch(`${origin}/api/profiles/${profileId}/photos`, {
    method: "POST",
    headers: { cookie: `${session[1]}=${session[2]}`, origin, "content-type": "image/jpeg" },
    body: await Deno.readFile(
      new URL("../node_modules/@vladmandic/face-api/demo/sample2.jpg", import.meta.url),
    ),
  });
  if (upload.status !== 201) {
    throw new Error(`photo upload: ${upload.status} ${await upload.text()}`);
  }
  await upload.body?.cancel();

  const pages = [
    { path: "/", signedIn: false },
    { path: "/vault", signedIn: true },
    { path: `/events/${eventId}`, signedIn: true },
  ];
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const results: PageFigures[] = [];
  try {
    for (const { path, signedIn } of pages) {
      const runs: PageFigures[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 3,
          isMobile: true,
          hasTouch: true,
        });
        if (signedIn) {
          await context.addCookies([{ name: session[1], value: session[2], url: origin }]);
        }
        await context.addInitScript(OBSERVE);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
        await cdp.send("Network.emulateNetworkConditions", NETWORK);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_THROTTLING });
        let bytes = 0, requests = 0;
        const started = new Map<string, { url: string; at: number }>();
        const waterfall: string[] = [];
        cdp.on("Network.requestWillBeSent", (e: RequestEvent) => {
          started.set(e.requestId, { url: e.request.url, at: e.timestamp });
        });
        cdp.on("Network.loadingFinished", (e: LoadedEvent) => {
          bytes += e.encodedDataLength;
          requests++;
          const request = started.get(e.requestId);
          if (request) waterfall.push(waterfallLine(request, e, started));
        });
        const response = await page.goto(origin + path, { waitUntil: "load" });
        if (!response?.ok()) throw new Error(`${path}: ${response?.status()}`);
        if (new URL(page.url()).pathname !== path) throw new Error(`${path} → ${page.url()}`);
        await page.waitForTimeout(1500);
        const perf = await page.evaluate(() =>
          (globalThis as unknown as {
            __perf: { lcp: number; fcp: number; longTasks: [number, number][] };
          }).__perf
        );
        const tbt = perf.longTasks
          .filter(([start]) => start >= perf.fcp)
          .reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);
        runs.push({
          page: path,
          lcpMs: Math.round(perf.lcp),
          fcpMs: Math.round(perf.fcp),
          tbtMs: Math.round(tbt),
          transferredBytes: bytes,
          requests,
        });
        if (args.waterfall === "true" && run === 0) {
          console.log(`${path} (LCP ${Math.round(perf.lcp)} ms, FCP ${Math.round(perf.fcp)} ms)`);
          for (const line of waterfall) console.log(line);
        }
        await context.close();
      }
      results.push({
        page: path.startsWith("/events/") ? "/events/:id" : path,
        lcpMs: median(runs.map((r) => r.lcpMs)),
        fcpMs: median(runs.map((r) => r.fcpMs)),
        tbtMs: median(runs.map((r) => r.tbtMs)),
        transferredBytes: median(runs.map((r) => r.transferredBytes)),
        requests: median(runs.map((r) => r.requests)),
      });
    }
  } finally {
    await browser.close();
  }
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "")).split(" ")
    .slice(0, 3).join(" ");
  if (args.json === "true") {
    console.log(JSON.stringify({ network: NETWORK, cpuThrottling: CPU_THROTTLING, load, results }));
  } else {
    console.log(
      `4x CPU, ${NETWORK.latency} ms RTT, ${NETWORK.downloadThroughput * 8 / 1000} kbit/s down, ` +
        `390x844, cold cache; medians of ${RUNS}; load ${load}`,
    );
    console.log("page            LCP ms  FCP ms  TBT ms  bytes   requests");
    for (const r of results) {
      const flag = r.lcpMs > TARGET_LCP_MS || r.tbtMs > TARGET_TBT_MS ? "  over target" : "";
      console.log(
        `${r.page.padEnd(14)} ${String(r.lcpMs).padStart(7)} ${String(r.fcpMs).padStart(7)} ${
          String(r.tbtMs).padStart(7)
        } ${String(r.transferredBytes).padStart(7)} ${String(r.requests).padStart(9)}${flag}`,
      );
    }
  }
} finally {
  if (server) {
    server.kill("SIGTERM");
    await server.status;
  }
  await Deno.remove(dir, { recursive: true });
}
