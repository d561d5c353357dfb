/// <reference lib="deno.worker" />
/**
 * One photo-analysis worker of {@link createMlPool}: owns its own WASM instance and runs one call at
 * a time. Messages: `{ id, op, args }` in; `{ id, ok: true, value }` or
 * `{ id, ok: false, code, message }` out. Rendition bytes are transferred back, not copied.
 */
import * as ml from "./mod.ts";
import type { PoolReply, PoolRequest } from "./pool.ts";

const ready = ml.initMl().catch(() => {
  // A failed warm-up is retried by the first call (the loader creates a fresh instance).
});

async function run(req: PoolRequest): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  switch (req.op) {
    case "analyzePhoto":
      return { value: await ml.analyzePhoto(req.args[0]), transfer: [] };
    case "preparePhoto": {
      const renditions = await ml.preparePhoto(req.args[0], req.args[1], req.args[2]);
      const buffers = new Set(renditions.map((r) => r.jpeg.buffer as ArrayBuffer));
      return { value: renditions, transfer: [...buffers] };
    }
    case "scorePhoto":
      return { value: await ml.scorePhoto(req.args[0], req.args[1], req.args[2]), transfer: [] };
    case "defaultModel":
      return { value: await ml.defaultModel(), transfer: [] };
    case "fitPreferences":
      return { value: await ml.fitPreferences(req.args[0], req.args[1]), transfer: [] };
  }
}

self.onmessage = async (event: MessageEvent<PoolRequest>) => {
  const req = event.data;
  await ready;
  let reply: PoolReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = await run(req);
    reply = { id: req.id, ok: true, value: done.value };
    transfer = done.transfer;
  } catch (error) {
    const code = error instanceof ml.MlError ? error.code : "trap";
    const message = error instanceof ml.MlError
      ? error.message.replace(/^[a-z_]+: /, "")
      : String(error);
    reply = { id: req.id, ok: false, code, message };
  }
  self.postMessage(reply, transfer);
};
