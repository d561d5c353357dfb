/**
 * Starts and stops a local anvil node (from npm `@foundry-rs/anvil-linux-amd64`) on loopback.
 * Used by `deno task chain:dev` and by the tests.
 */
import { findFreeLoopbackPort } from "./free_port.ts";

const ANVIL_BINARY = new URL(
  "../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil",
  import.meta.url,
).pathname;

/** A running anvil process. */
export interface AnvilProcess {
  /** JSON-RPC endpoint, e.g. `http://127.0.0.1:43123`. */
  rpcUrl: string;
  port: number;
  chainId: number;
  pid: number;
  /** Kills the process by PID and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options for {@link startAnvil}. */
export interface StartAnvilOptions {
  chainId?: number;
  port?: number;
  /** Milliseconds to wait for the node to answer JSON-RPC. */
  readyTimeoutMs?: number;
}

/** Spawns anvil on 127.0.0.1 and resolves once it answers `eth_chainId`. */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilProcess> {
  const chainId = options.chainId ?? 480;
  const port = options.port ?? findFreeLoopbackPort();
  const child = new Deno.Command(ANVIL_BINARY, {
    args: [
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--chain-id",
      String(chainId),
      "--silent",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const rpcUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await child.status;
  };
  try {
    await waitForRpc(rpcUrl, child, options.readyTimeoutMs ?? 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { rpcUrl, port, chainId, pid: child.pid, stop };
}

/** Polls `eth_chainId` until the node answers, the process dies, or the timeout passes. */
async function waitForRpc(rpcUrl: string, child: Deno.ChildProcess, timeoutMs: number) {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error("anvil exited before it became ready");
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`anvil did not answer on ${rpcUrl} within ${timeoutMs} ms`);
}
