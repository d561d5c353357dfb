/** Serves recorded World developer portal request/response pairs on loopback for contract tests. */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";

const pairSchema = z.object({
  name: z.string(),
  wallet: z.string(),
  proof: z.object({
    proof: z.string(),
    merkle_root: z.string(),
    nullifier_hash: z.string(),
    verification_level: z.enum(["orb", "secure_document", "document", "device"]),
  }),
  request: z.object({ method: z.string(), path: z.string(), body: z.unknown() }),
  response: z.object({
    status: z.number().int(),
    delayMs: z.number().int().optional(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown(),
  }),
});

const recordingSchema = z.object({
  app_id: z.string(),
  action: z.string(),
  pairs: z.array(pairSchema),
});

/** One recorded exchange. */
export type RecordedPair = z.infer<typeof pairSchema>;

/** The recording plus a running server that replays it. */
export interface RecordedPortal {
  url: string;
  appId: string;
  action: string;
  pair(name: string): RecordedPair;
  /** Requests that matched no recording (a contract test asserts this stays empty). */
  unmatched: Array<{ method: string; path: string; body: unknown }>;
  /** Names of the pairs served, in order. */
  served: string[];
  close(): Promise<void>;
}

/** Loads `tests/auth/fixtures/worldid_portal_v2.json` and serves it on 127.0.0.1. */
export async function startRecordedPortal(): Promise<RecordedPortal> {
  const file = new URL("../auth/fixtures/worldid_portal_v2.json", import.meta.url);
  const recording = recordingSchema.parse(JSON.parse(await Deno.readTextFile(file)));
  const unmatched: RecordedPortal["unmatched"] = [];
  const closing = new AbortController(); // ends artificial delays so shutdown never waits on them
  const served: string[] = [];

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = new URL(request.url).pathname;
    let body: unknown = null;
    try {
      body = await request.json();
    } catch {
      body = null;
    }
    const match = recording.pairs.find((pair) =>
      pair.request.method === request.method && pair.request.path === path &&
      isDeepStrictEqual(pair.request.body, body)
    );
    if (!match) {
      unmatched.push({ method: request.method, path, body });
      return Response.json({ code: "unrecorded_request", detail: "no recording" }, { status: 418 });
    }
    served.push(match.name);
    const { response } = match;
    if (response.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, response.delayMs);
        closing.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const text = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
    return new Response(text, { status: response.status, headers: response.headers });
  });

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    appId: recording.app_id,
    action: recording.action,
    pair(name) {
      const found = recording.pairs.find((pair) => pair.name === name);
      if (!found) throw new Error(`no recorded pair named ${name}`);
      return found;
    },
    unmatched,
    served,
    async close() {
      closing.abort();
      await server.shutdown();
    },
  };
}
