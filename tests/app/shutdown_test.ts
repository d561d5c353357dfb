/** main.ts as a real process: graceful shutdown on SIGTERM and the sweep of interrupted writes. */
import assert from "node:assert/strict";
import { SHUTDOWN_GRACE_MS } from "@/server/shutdown.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A port nothing listens on right now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** main.ts on a temporary data folder; `ready` resolves once it listens. */
async function spawnMain(dataDir: string) {
  const port = freePort();
  const origin = `http://localhost:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: {
      AURUM_ENV: "development",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      PUBLIC_ORIGIN: origin,
      LOG_LEVEL: "info",
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const listening = Promise.withResolvers<void>();
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(text) {
        output += text;
        if (output.includes("listening on")) listening.resolve();
      },
    }),
  );
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (text) => void (output += text) }),
  );
  const exited = child.status.then((status) => {
    listening.reject(new Error(`main.ts exited before listening:\n${output}`));
    return status;
  });
  const timeout = setTimeout(
    () => listening.reject(new Error(`no listen in 60 s:\n${output}`)),
    60_000,
  );
  try {
    await listening.promise;
  } finally {
    clearTimeout(timeout);
  }
  return {
    child,
    port,
    origin,
    output: () => output,
    /** Waits for the exit and the end of the output pipes. */
    async finished() {
      const status = await exited;
      await Promise.all([stdout, stderr]);
      return status;
    },
  };
}

/** Reads `reader` until `pattern` appears in what it read. */
async function readUntil(reader: ReadableStreamDefaultReader<string>, pattern: RegExp) {
  let text = "";
  while (!pattern.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
    text += value;
  }
  return text;
}

Deno.test("[shutdown] SIGTERM finishes in-flight requests, ends event streams, refuses new connections and exits 0", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-shutdown-" });
  const main = await spawnMain(dataDir);
  try {
    const signIn = await fetch(`${main.origin}/api/auth/dev`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: main.origin },
      body: JSON.stringify({ persona: "keyholder" }),
    });
    assert.equal(signIn.status, 200, main.output());
    await signIn.body?.cancel();
    const cookie = signIn.headers.getSetCookie().join(";").match(/aurum_session=([^;]+)/)![1];

    const stream = await fetch(`${main.origin}/api/notifications/stream`, {
      headers: { cookie: `aurum_session=${cookie}` },
    });
    assert.equal(stream.status, 200);
    const events = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(events, /: connected/);

    // A slow upload: the headers and half of the body now, the rest after the signal.
    const body = "x".repeat(64 * 1024);
    const upload = await Deno.connect({ hostname: "127.0.0.1", port: main.port });
    const encoder = new TextEncoder();
    await upload.write(encoder.encode(
      `PUT /api/storage/slow.txt HTTP/1.1\r\nHost: localhost:${main.port}\r\n` +
        `Origin: ${main.origin}\r\nCookie: aurum_session=${cookie}\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    ));
    await upload.write(encoder.encode(body.slice(0, body.length / 2)));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const signalled = Date.now();
    main.child.kill("SIGTERM");

    // The open event stream ends instead of holding the shutdown up.
    const { done } = await events.read().then(async function rest(
      result,
    ): Promise<ReadableStreamReadResult<string>> {
      return result.done ? result : rest(await events.read());
    });
    assert.equal(done, true);

    // While the upload runs, new requests are turned away, not served.
    const during = await fetch(`${main.origin}/api/health`);
    assert.equal(during.status, 503);
    assert.equal(during.headers.get("retry-after"), "2");
    await during.body?.cancel();

    await upload.write(encoder.encode(body.slice(body.length / 2)));
    const response = await new Response(upload.readable).text();
    assert.match(response, /^HTTP\/1\.1 200/, `${response}\n${main.output()}`);
    assert.match(response, /"size":65536/);

    // Once it is done the listener is closed: new connections are refused.
    await assert.rejects(
      Deno.connect({ hostname: "127.0.0.1", port: main.port }).then((conn) => conn.close()),
      Deno.errors.ConnectionRefused,
    );

    const status = await main.finished();
    assert.equal(status.code, 0, main.output());
    assert.ok(Date.now() - signalled < SHUTDOWN_GRACE_MS, "within the bound");
    assert.match(main.output(), /"shutdown_finished".*"drained":true/);
  } finally {
    try {
      main.child.kill("SIGKILL");
    } catch { /* already exited */ }
    await main.finished();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("[shutdown] a start sweeps stale leftovers of interrupted writes from the object store", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-sweep-" });
  const folder = `${dataDir}/objects/members/0123456789abcdef`;
  await Deno.mkdir(folder, { recursive: true });
  const stale = [`a.jpg~tmp-${crypto.randomUUID()}`, `a.jpg~v-${crypto.randomUUID()}`];
  const young = `b.jpg~tmp-${crypto.randomUUID()}`;
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  for (const name of [...stale, young]) await Deno.writeTextFile(`${folder}/${name}`, "x");
  for (const name of stale) await Deno.utime(`${folder}/${name}`, hourAgo, hourAgo);
  const main = await spawnMain(dataDir);
  try {
    const left = (await Array.fromAsync(Deno.readDir(folder))).map((entry) => entry.name);
    assert.deepEqual(left, [young], "only a write that may still be running is kept");
    assert.match(main.output(), /"storage_swept".*"removed":2/);
  } finally {
    main.child.kill("SIGTERM");
    assert.equal((await main.finished()).code, 0, main.output());
    await Deno.remove(dataDir, { recursive: true });
  }
});
