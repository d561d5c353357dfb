/**
 * `deno task bench:web`: requests/s and p99 latency (wrk, 50 connections) of the benchmark page
 * through the full app, against a bare `Deno.serve` hello-world and the same markup rendered by
 * plain Hono + preact-render-to-string, all in the same run; plus the gzip JS bytes each page ships.
 * Servers run one at a time, alternating over several rounds; each figure is the median of its
 * rounds, so a noisy moment on the machine moves one sample, not the result.
 * Options: --duration=6 (seconds per measurement), --rounds=3, --connections=50.
 */
const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const DURATION = Number(args.duration ?? 6);
const ROUNDS = Number(args.rounds ?? 3);
const CONNECTIONS = Number(args.connections ?? 50);
const SERVER = new URL("./web_servers.tsx", import.meta.url).pathname;

interface Result {
  name: string;
  rps: number;
  p99ms: number;
  jsGzipBytes: number;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function startServer(kind: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER, kind, String(port)],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${kind} server exited before it was ready`);
    seen += value;
  }
  // Keep draining stdout (request logs) so the server never blocks on a full pipe.
  const drain = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await drain.catch(() => {});
    },
  };
}

function parseWrk(out: string): { rps: number; p99ms: number } {
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const p99 = out.match(/\s99%\s+([\d.]+)(us|ms|s)\b/);
  if (!rps || !p99) throw new Error(`could not parse wrk output:\n${out}`);
  const factor = { us: 0.001, ms: 1, s: 1000 }[p99[2] as "us" | "ms" | "s"];
  return { rps, p99ms: Number(p99[1]) * factor };
}

async function wrk(url: string, seconds: number): Promise<{ rps: number; p99ms: number }> {
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

async function measure(name: string, kind: string, path: string): Promise<Result> {
  const server = await startServer(kind);
  const origin = `http://127.0.0.1:${server.port}`;
  try {
    const jsGzipBytes = await shippedJs(origin, path);
    await wrk(origin + path, Math.min(3, DURATION)); // warm-up: JIT, caches
    const { rps, p99ms } = await wrk(origin + path, DURATION);
    return { name, rps, p99ms, jsGzipBytes };
  } finally {
    await server.stop();
  }
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];

const runs: Record<"hello" | "floor" | "app", Result[]> = { hello: [], floor: [], app: [] };
for (let round = 0; round < ROUNDS; round++) {
  runs.hello.push(await measure("(a) bare Deno.serve hello-world", "hello", "/"));
  runs.floor.push(
    await measure("(b) plain Hono + preact-render-to-string", "floor", "/bench/cards"),
  );
  runs.app.push(await measure("Aurum app, full middleware stack", "app", "/bench/cards"));
}
const summarize = (samples: Result[]): Result => ({
  name: samples[0].name,
  rps: median(samples.map((s) => s.rps)),
  p99ms: median(samples.map((s) => s.p99ms)),
  jsGzipBytes: samples[0].jsGzipBytes,
});
const hello = summarize(runs.hello);
const floor = summarize(runs.floor);
const app = summarize(runs.app);
const ratios = runs.app.map((a, i) => a.rps / runs.floor[i].rps);

console.log(
  `\nwrk -t2 -c${CONNECTIONS} -d${DURATION}s, median of ${ROUNDS} alternating rounds, ` +
    `${navigator.hardwareConcurrency} cores\n`,
);
console.log("server                                    req/s      p99 ms   JS gzip B");
for (const r of [hello, floor, app]) {
  console.log(
    `${r.name.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} ${r.p99ms.toFixed(2).padStart(10)} ${
      String(r.jsGzipBytes).padStart(10)
    }`,
  );
}
console.log(`\n(b)/(a) = ${(floor.rps / hello.rps).toFixed(3)}`);
console.log(
  `app/(b) = ${(app.rps / floor.rps).toFixed(3)} (per round: ${
    ratios.map((r) => r.toFixed(3)).join(", ")
  }; target ≥ 0.70, p99 ≤ 15 ms)`,
);
console.log(JSON.stringify({ hello, floor, app, appOverFloor: app.rps / floor.rps, ratios }));
