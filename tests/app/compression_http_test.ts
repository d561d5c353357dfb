import assert from "node:assert/strict";
import zlib from "node:zlib";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { compressResponse, negotiateEncoding } from "@/fresh/compression.ts";

const STYLES = await Deno.readFile(new URL("../../static/styles.css", import.meta.url));
const BUILD = JSON.parse(
  await Deno.readTextFile(new URL("../../_fresh/build.json", import.meta.url)),
) as { buildId: string };
const CHUNK = "island-ProfileSetup.js";
const CHUNK_BYTES = await Deno.readFile(new URL(`../../_fresh/${CHUNK}`, import.meta.url));

/** A response as it came over the wire: status, headers and the body bytes still encoded. */
interface WireResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

type Get = (
  path: string,
  headers?: Record<string, string>,
  method?: string,
) => Promise<WireResponse>;

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * One HTTP/1.1 request on its own connection. `fetch` would decode the body (and keep the
 * Content-Encoding header), so the bytes on the wire are read here.
 */
async function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  method: string,
): Promise<WireResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const chunks: Uint8Array[] = [];
  try {
    const lines = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1", "connection: close"];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
    const buffer = new Uint8Array(64 * 1024);
    for (let n; (n = await conn.read(buffer)) !== null;) chunks.push(buffer.slice(0, n));
  } finally {
    conn.close();
  }
  const all = concat(chunks);
  const split = all.findIndex((_, i) =>
    all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10
  );
  const [statusLine, ...headerLines] = new TextDecoder().decode(all.subarray(0, split)).split(
    "\r\n",
  );
  const parsed = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    parsed.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let body = all.subarray(split + 4);
  if (parsed.get("transfer-encoding") === "chunked") {
    const parts: Uint8Array[] = [];
    let at = 0;
    for (;;) {
      const end = body.indexOf(13, at);
      const size = parseInt(new TextDecoder().decode(body.subarray(at, end)), 16);
      if (!size) break;
      parts.push(body.subarray(end + 2, end + 2 + size));
      at = end + 2 + size + 2;
    }
    body = concat(parts);
  }
  return { status: Number(statusLine.split(" ")[1]), headers: parsed, body };
}

/** The real app on an in-memory KV, served over loopback on an ephemeral port. */
async function withServer(fn: (get: Get) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-compression-" });
  const app = await createApp({
    kv,
    logger: createMemoryLogger(),
    config: loadConfig({ AURUM_ENV: "test", DATA_DIR: dataDir }),
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => app.fetch(req, info),
  );
  try {
    await fn((path, headers = {}, method = "GET") =>
      rawRequest(server.addr.port, path, headers, method)
    );
  } finally {
    await server.shutdown();
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** The raw (still encoded) body bytes. */
function raw(res: WireResponse): Uint8Array {
  return res.body;
}

function decode(encoding: string | null, bytes: Uint8Array): Uint8Array {
  if (encoding === "br") return new Uint8Array(zlib.brotliDecompressSync(bytes));
  if (encoding === "gzip") return new Uint8Array(zlib.gunzipSync(bytes));
  assert.equal(encoding, null);
  return bytes;
}

Deno.test("[compression] Accept-Encoding q-values pick brotli, gzip or identity", () => {
  assert.equal(negotiateEncoding(null), null);
  assert.equal(negotiateEncoding(""), null);
  assert.equal(negotiateEncoding("identity"), null);
  assert.equal(negotiateEncoding("gzip, deflate, br"), "br");
  assert.equal(negotiateEncoding("br;q=0.5, gzip"), "gzip");
  assert.equal(negotiateEncoding("br;q=0, gzip;q=0.1"), "gzip");
  assert.equal(negotiateEncoding("gzip;q=0, br;q=0"), null);
  assert.equal(negotiateEncoding("*"), "br");
  assert.equal(negotiateEncoding("*;q=0.5, br;q=0"), "gzip");
  assert.equal(negotiateEncoding("GZIP ; Q=1"), "gzip");
  assert.equal(negotiateEncoding("br;q=nonsense, gzip"), "gzip");
});

Deno.test("[compression] static files: one cached variant per coding, each with its ETag", async () => {
  await withServer(async (get) => {
    const etags = new Set<string>();
    for (
      const [accept, encoding] of [
        ["br, gzip", "br"],
        ["br;q=0.5, gzip", "gzip"],
        ["identity", null],
        ["", null],
      ] as const
    ) {
      const res = await get("/styles.css", { "accept-encoding": accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-encoding"), encoding, accept);
      assert.equal(res.headers.get("vary"), "Accept-Encoding");
      const bytes = raw(res);
      assert.equal(Number(res.headers.get("content-length")), bytes.byteLength);
      if (encoding) assert.ok(bytes.byteLength < STYLES.byteLength / 3);
      assert.deepEqual(decode(encoding, bytes), STYLES);
      etags.add(res.headers.get("etag")!);
    }
    assert.equal(etags.size, 3);

    // 304 per variant; HEAD gives the variant's headers without a body.
    const br = await get("/styles.css", { "accept-encoding": "br" });
    const brEtag = br.headers.get("etag")!;
    const brLength = (raw(br)).byteLength;
    const revalidated = await get("/styles.css", {
      "accept-encoding": "br",
      "if-none-match": brEtag,
    });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.get("content-encoding"), "br");
    assert.equal(revalidated.headers.get("vary"), "Accept-Encoding");
    const otherVariant = await get("/styles.css", {
      "accept-encoding": "gzip",
      "if-none-match": brEtag,
    });
    assert.equal(otherVariant.status, 200);
    const head = await get("/styles.css", { "accept-encoding": "br" }, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-encoding"), "br");
    assert.equal(Number(head.headers.get("content-length")), brLength);
    assert.equal((raw(head)).byteLength, 0);

    // Already compressed types go as they are, still with Vary.
    const font = await get("/fonts/cinzel-latin-wght-normal.woff2", { "accept-encoding": "br" });
    assert.equal(font.headers.get("content-encoding"), null);
    assert.equal(font.headers.get("vary"), "Accept-Encoding");
  });
});

Deno.test("[compression] a Range request gets a range of the identity body, or 416", async () => {
  await withServer(async (get) => {
    const part = await get("/styles.css", { "accept-encoding": "br, gzip", range: "bytes=10-19" });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-encoding"), null);
    assert.equal(part.headers.get("content-range"), `bytes 10-19/${STYLES.byteLength}`);
    assert.deepEqual(raw(part), STYLES.subarray(10, 20));

    const tail = await get("/styles.css", { "accept-encoding": "br", range: "bytes=-5" });
    assert.equal(tail.status, 206);
    assert.deepEqual(raw(tail), STYLES.subarray(STYLES.byteLength - 5));

    const outside = await get("/styles.css", {
      "accept-encoding": "br",
      range: `bytes=${STYLES.byteLength}-`,
    });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get("content-range"), `bytes */${STYLES.byteLength}`);

    // Several ranges, or If-Range with a (weak) ETag: the whole identity body.
    for (
      const headers of [
        { range: "bytes=0-1,5-6" },
        { range: "bytes=0-1", "if-range": 'W/"x"' },
      ] as Record<string, string>[]
    ) {
      const whole = await get("/styles.css", { "accept-encoding": "br", ...headers });
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get("content-encoding"), null);
      assert.deepEqual(raw(whole), STYLES);
    }
  });
});

Deno.test("[compression] island chunks are served compressed and revalidate per coding", async () => {
  await withServer(async (get) => {
    const path = `/_fresh/js/${BUILD.buildId}/${CHUNK}`;
    for (const encoding of ["br", "gzip"] as const) {
      const res = await get(path, { "accept-encoding": encoding });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-encoding"), encoding);
      assert.equal(res.headers.get("vary"), "Accept-Encoding");
      assert.deepEqual(decode(encoding, raw(res)), CHUNK_BYTES);
      const again = await get(path, {
        "accept-encoding": encoding,
        "if-none-match": res.headers.get("etag")!,
      });
      assert.equal(again.status, 304);
    }
    const plain = await get(path, { "accept-encoding": "identity" });
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.deepEqual(raw(plain), CHUNK_BYTES);
    const head = await get(path, { "accept-encoding": "br" }, "HEAD");
    assert.equal(head.headers.get("content-encoding"), "br");
    assert.equal((raw(head)).byteLength, 0);
  });
});

Deno.test("[compression] pages are compressed on the fly; small and HEAD responses are not", async () => {
  await withServer(async (get) => {
    const identity = await get("/", { "accept-encoding": "identity" });
    assert.equal(identity.headers.get("content-encoding"), null);
    assert.equal(identity.headers.get("vary"), "Accept-Encoding");
    const html = raw(identity);
    assert.ok(html.byteLength > 1024);
    for (const encoding of ["br", "gzip"] as const) {
      const res = await get("/", { "accept-encoding": encoding });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-encoding"), encoding);
      assert.match(res.headers.get("vary")!, /Accept-Encoding/);
      assert.ok(res.headers.get("content-security-policy"), "middleware headers kept");
      const bytes = raw(res);
      assert.ok(bytes.byteLength < html.byteLength / 2);
      const text = new TextDecoder().decode(decode(encoding, bytes));
      assert.match(text, /^<!DOCTYPE html>|^<html/i);
    }
    assert.match(
      identity.headers.get("link")!,
      /<\/styles\.css\?__frsh_c=[0-9a-f]{12}>; rel=preload; as=style/,
    );
    assert.match(
      identity.headers.get("link")!,
      /cinzel-latin-wght-normal\.woff2>; rel=preload; as=font/,
    );
    const head = await get("/", { "accept-encoding": "br" }, "HEAD");
    assert.equal(head.status, 200);
    assert.equal((raw(head)).byteLength, 0);

    const health = await get("/api/health", { "accept-encoding": "br" });
    assert.equal(health.status, 200);
    assert.equal(health.headers.get("content-encoding"), null);
    assert.equal(health.headers.get("link"), null);
    assert.equal(JSON.parse(new TextDecoder().decode(health.body)).live, true);
  });
});

Deno.test("[compression] event streams and already encoded bodies pass through", async () => {
  const req = new Request("http://localhost/", { headers: { "accept-encoding": "br" } });
  const big = "x".repeat(4096);
  const stream = await compressResponse(
    req,
    new Response(big, { headers: { "content-type": "text/event-stream" } }),
  );
  assert.equal(stream.headers.get("content-encoding"), null);
  assert.equal(await stream.text(), big);
  const encoded = await compressResponse(
    req,
    new Response(big, { headers: { "content-type": "text/plain", "content-encoding": "gzip" } }),
  );
  assert.equal(encoded.headers.get("content-encoding"), "gzip");
  assert.equal(await encoded.text(), big);
  const image = await compressResponse(
    req,
    new Response(big, { headers: { "content-type": "image/jpeg" } }),
  );
  assert.equal(image.headers.get("content-encoding"), null);
});
