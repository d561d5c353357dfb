/**
 * Child-process entry point of `s3rver.ts`: serves S3 with `s3rver` on 127.0.0.1.
 * Usage: `deno run -A s3rver_main.ts <directory> <bucket> [port]`. Prints `{"port":N}` once listening;
 * on SIGTERM or SIGINT closes the server (at most 1 s) and exits.
 */
import crypto from "node:crypto";
import S3rver from "s3rver";

// s3rver obfuscates ListObjectsV2 continuation tokens with DES, which Deno's node:crypto lacks
// (listing a truncated page would answer 500). The tokens are opaque to clients, so an identity
// "cipher" for 'des' keeps them working; every other algorithm goes to the real implementation.
type CipherLike = { update(data: string | Uint8Array, encoding?: string): Buffer; final(): Buffer };
const identityCipher = (): CipherLike => ({
  update: (data, encoding) =>
    typeof data === "string" ? Buffer.from(data, encoding as BufferEncoding) : Buffer.from(data),
  final: () => Buffer.alloc(0),
});
for (const name of ["createCipheriv", "createDecipheriv"] as const) {
  const real = crypto[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(crypto, name, {
    value: (algorithm: string, ...rest: unknown[]) =>
      algorithm === "des" ? identityCipher() : real.call(crypto, algorithm, ...rest),
    writable: true,
    configurable: true,
  });
}

const [directory, bucket, portText = "0"] = Deno.args;
if (!directory || !bucket) {
  console.error("usage: s3rver_main.ts <directory> <bucket> [port]");
  Deno.exit(2);
}

const server = new S3rver({
  address: "127.0.0.1",
  port: Number(portText),
  directory,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const address = await server.run();
console.log(JSON.stringify({ port: address.port }));

const shutdown = () => {
  setTimeout(() => Deno.exit(0), 1_000);
  server.close().finally(() => Deno.exit(0));
};
Deno.addSignalListener("SIGTERM", shutdown);
Deno.addSignalListener("SIGINT", shutdown);
