/** Serves the islands fixture project (`tests/fixture/`) on a random local port. */
import { createHandler } from "@/fresh/server.ts";
import manifest from "@/tests/fixture/fresh.gen.ts";

/** A running fixture server. */
export interface FixtureServer {
  url: string;
  fetch(path: string): Promise<Response>;
  close(): Promise<void>;
}

/** Starts the fixture with islands built in memory (`dev: true`). */
export async function startFixtureServer(): Promise<FixtureServer> {
  const handler = await createHandler(manifest, { dev: true });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => handler.fetch(req, info),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    fetch: (path) => handler.fetch(new Request(url + path)),
    close: () => server.shutdown(),
  };
}
