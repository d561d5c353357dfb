import assert from "node:assert/strict";

const LOGGER = new URL("../../server/observability/logger.ts", import.meta.url).href;

/** Runs a script that logs through the JSON logger in a child process; returns its two streams. */
async function logsOf(code: string): Promise<{ stdout: string[]; stderr: string[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import { createJsonLogger } from "${LOGGER}";\n${code}`],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const lines = (bytes: Uint8Array) => new TextDecoder().decode(bytes).split("\n").filter(Boolean);
  return { stdout: lines(out.stdout), stderr: lines(out.stderr) };
}

Deno.test("[logger] one JSON object per line: ts, level, msg, then the fields; warn+ on stderr", async () => {
  const { stdout, stderr } = await logsOf(`
    const log = createJsonLogger("info");
    log.log("debug", "hidden", { a: 1 });
    log.log("info", "request", { requestId: "r1", status: 200, ms: 1.5, skip: undefined });
    log.log("info", "bare");
    log.log("info", 'quote " and \\n newline', { nested: { list: [1, "two"] } });
    log.log("error", "request failed", { error: { name: "Error", message: "boom" } });
  `);
  assert.equal(stdout.length, 3, stdout.join("\n"));
  const [request, bare, quoted] = stdout.map((line) => JSON.parse(line));
  assert.deepEqual(Object.keys(request), ["ts", "level", "msg", "requestId", "status", "ms"]);
  assert.equal(request.level, "info");
  assert.equal(request.msg, "request");
  assert.ok(Math.abs(Date.parse(request.ts) - Date.now()) < 60_000);
  assert.deepEqual(Object.keys(bare), ["ts", "level", "msg"]);
  assert.equal(quoted.msg, 'quote " and \n newline');
  assert.deepEqual(quoted.nested, { list: [1, "two"] });
  assert.equal(stderr.length, 1);
  const failure = JSON.parse(stderr[0]);
  assert.equal(failure.level, "error");
  assert.equal(failure.error.message, "boom");
});
