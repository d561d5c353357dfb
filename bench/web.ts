/**
 * `deno task bench:web`: requests/s and p99 latency (wrk, 50 connections) of the benchmark page
 * through the full app, against floors measured in the same run: a bare `Deno.serve` hello-world,
 * the same markup rendered by plain Hono + preact-render-to-string from classic `h()` vnodes (b)
 * and from precompiled JSX templates (c, how the app and Fresh 2 compile pages), and our layer
 * without the app's middleware; plus the gzip JS bytes each page ships.
 * All servers start at once, each in its own process (an idle one costs nothing), and take turns
 * in short runs over many rounds, each round starting with the next server; each figure is the median of its rounds and each ratio the median of per-round ratios,
 * so a slow spell of this shared machine moves a few samples, not the result. Besides wrk's
 * figures, each server's CPU time per request is read from /proc (less sensitive to the noise).
 * Options: --duration=3 (seconds per run), --rounds=7, --connections=50,
 * --only=floor,app (a subset of hello, floor, precompiled, framework, app).
 */
const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const DURATION = Number(args.duration ?? 3);
const ROUNDS = Number(args.rounds ?? 7);
const CONNECTIONS = Number(args.connections ?? 50);
const SERVER = new URL("./web_servers.tsx", import.meta.url).pathname;

interface Result {
  name: string;
  rps: number;
  p99ms: number;
  cpuUsPerRequest: number;
  jsGzipBytes: number;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

interface Server {
  port: number;
  /** CPU seconds (user + system) the server process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

async function startServer(kind: string): Promise<Server> {
  const port = freePort();
  // Request logs (stdout) go to /dev/null: the server still formats and writes every line, but
  // no reader competes with the server and wrk for the two cores.
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER, kind, String(port)],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${kind} server exited before it was ready:\n${seen}`);
    seen += value;
  }
  // Keep draining stderr (warnings would show up here) so the server never blocks on it.
  const drain = (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      Deno.stderr.writeSync(new TextEncoder().encode(r.value));
    }
  })();
  return {
    port,
    cpuSeconds() {
      const fields = Deno.readTextFileSync(`/proc/${child.pid}/stat`).split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
    },
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await drain.catch(() => {});
    },
  };
}

interface WrkResult {
  rps: number;
  p99ms: number;
  requests: number;
}

function parseWrk(out: string): WrkResult {
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const requests = Number(out.match(/(\d+) requests in/)?.[1]);
  const p99 = out.match(/\s99%\s+([\d.]+)(us|ms|s)\b/);
  if (!rps || !requests || !p99) throw new Error(`could not parse wrk output:\n${out}`);
  const factor = { us: 0.001, ms: 1, s: 1000 }[p99[2] as "us" | "ms" | "s"];
  return { rps, p99ms: Number(p99[1]) * factor, requests };
}

async function wrk(url: string, seconds: number): Promise<WrkResult> {
  const out = await new Deno.Command("wrk", {
    args: ["-t2", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  return parseWrk(new TextDecoder().decode(out.stdout));
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Sum of gzip sizes of every script the page loads: inline ones and modulepreloaded chunks. */
async function shippedJs(origin: string, path: string): Promise<number> {
  const res = await fetch(origin + path);
  const html = await res.text();
  const urls = new Set<string>();
  for (const m of (res.headers.get("link") ?? "").matchAll(/<([^>]+)>;\s*rel=modulepreload/g)) {
    urls.add(m[1]);
  }
  for (const m of html.matchAll(/(?:import\s*\(?\s*|from\s*)["']([^"']+\.js)["']/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(m[1]);
  let total = 0;
  for (const m of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    total += await gzipSize(new TextEncoder().encode(m[1]));
  }
  for (const url of urls) {
    const body = new Uint8Array(await (await fetch(new URL(url, origin))).arrayBuffer());
    total += await gzipSize(body);
  }
  return total;
}

/** One timed run against a running server. */
async function measure(
  name: string,
  server: Server,
  url: string,
): Promise<Omit<Result, "jsGzipBytes">> {
  const cpuBefore = server.cpuSeconds();
  const { rps, p99ms, requests } = await wrk(url, DURATION);
  const cpuUsPerRequest = ((server.cpuSeconds() - cpuBefore) * 1e6) / requests;
  return { name, rps, p99ms, cpuUsPerRequest };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];

const SERVERS = [
  { kind: "hello", name: "(a) bare Deno.serve hello-world", path: "/" },
  { kind: "floor", name: "(b) Hono + render-to-string, classic", path: "/bench/cards" },
  { kind: "precompiled", name: "(c) Hono + precompiled JSX", path: "/bench/cards" },
  { kind: "framework", name: "(d) our Fresh layer, no app middleware", path: "/bench/cards" },
  { kind: "app", name: "(e) Aurum app, full middleware stack", path: "/bench/cards" },
] as const;
type Kind = typeof SERVERS[number]["kind"];
const only = args.only ? new Set(String(args.only).split(",")) : null;
const chosen = SERVERS.filter((s) => !only || only.has(s.kind));

const servers = new Map<Kind, Server>();
const jsBytes = new Map<Kind, number>();
try {
  for (const s of chosen) {
    const server = await startServer(s.kind);
    servers.set(s.kind, server);
    const origin = `http://127.0.0.1:${server.port}`;
    jsBytes.set(s.kind, await shippedJs(origin, s.path));
    await wrk(origin + s.path, 3); // warm-up: JIT, caches
  }
} catch (error) {
  for (const server of servers.values()) await server.stop();
  throw error;
}

const runs = new Map<Kind, Result[]>(chosen.map((s) => [s.kind, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts one server later, so no server always follows the same one.
    const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]);
    for (const s of order) {
      const server = servers.get(s.kind)!;
      const result = await measure(s.name, server, `http://127.0.0.1:${server.port}${s.path}`);
      runs.get(s.kind)!.push({ ...result, jsGzipBytes: jsBytes.get(s.kind)! });
    }
  }
} finally {
  for (const server of servers.values()) await server.stop();
}
const summarize = (samples: Result[]): Result => ({
  name: samples[0].name,
  rps: median(samples.map((s) => s.rps)),
  p99ms: median(samples.map((s) => s.p99ms)),
  cpuUsPerRequest: median(samples.map((s) => s.cpuUsPerRequest)),
  jsGzipBytes: samples[0].jsGzipBytes,
});
const summary = new Map([...runs].map(([kind, samples]) => [kind, summarize(samples)]));

console.log(
  `\nwrk -t2 -c${CONNECTIONS} -d${DURATION}s, median of ${ROUNDS} alternating rounds, ` +
    `${navigator.hardwareConcurrency} cores\n`,
);
console.log("server                                    req/s      p99 ms  CPU µs/req   JS gzip B");
for (const r of summary.values()) {
  console.log(
    `${r.name.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} ${r.p99ms.toFixed(2).padStart(10)} ${
      r.cpuUsPerRequest.toFixed(0).padStart(11)
    } ${String(r.jsGzipBytes).padStart(11)}`,
  );
}
const ratio = (kind: Kind, base: Kind) => {
  const a = runs.get(kind), b = runs.get(base);
  if (!a || !b) return null;
  const rounds = a.map((x, i) => x.rps / b[i].rps);
  const cpu = a.map((x, i) => b[i].cpuUsPerRequest / x.cpuUsPerRequest);
  return { median: median(rounds), rounds, cpuMedian: median(cpu) };
};
const floorOverHello = ratio("floor", "hello");
const precompiledOverFloor = ratio("precompiled", "floor");
const frameworkOverFloor = ratio("framework", "floor");
const appOverFloor = ratio("app", "floor");
const appOverPrecompiled = ratio("app", "precompiled");
console.log("");
if (floorOverHello) console.log(`(b)/(a) = ${floorOverHello.median.toFixed(3)}`);
for (
  const [label, r] of [
    ["(c)/(b)", precompiledOverFloor],
    ["framework/(b)", frameworkOverFloor],
    ["app/(b)", appOverFloor],
    ["app/(c)", appOverPrecompiled],
  ] as const
) {
  if (!r) continue;
  console.log(
    `${label} req/s = ${r.median.toFixed(3)} (per round: ${
      r.rounds.map((x) => x.toFixed(2)).join(", ")
    }); by CPU per request = ${r.cpuMedian.toFixed(3)}`,
  );
}
if (appOverFloor) {
  console.log("target: app/(b) ≥ 1.0 with p99 ≤ 15 ms at 50 connections; app/(c) ≥ 0.8 (moonshot)");
}
console.log(JSON.stringify({
  ...Object.fromEntries(summary),
  floorOverHello,
  precompiledOverFloor,
  frameworkOverFloor,
  appOverFloor,
  appOverPrecompiled,
}));
