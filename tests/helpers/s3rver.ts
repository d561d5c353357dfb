/**
 * Starts a real S3-protocol server (npm `s3rver`) in a child Deno process, on a free loopback port
 * with its own temporary folder and one bucket. Stop it by PID with {@link S3rverProcess.stop}.
 */

/** A running s3rver child process. */
export interface S3rverProcess {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  bucket: string;
  /** s3rver's built-in credentials. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Sends SIGTERM (SIGKILL after 3 s), waits for the exit, removes the folder. Idempotent. */
  stop(): Promise<void>;
}

const MAIN = new URL("./s3rver_main.ts", import.meta.url);
const READY_TIMEOUT_MS = 20_000;

/** Reads the child's first stdout line (its `{"port":N}` announcement), then releases the stream. */
async function readAnnouncement(stdout: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const timer = setTimeout(() => reader.cancel(), READY_TIMEOUT_MS);
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  const port = Number(JSON.parse(text.split("\n")[0] || "{}").port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`s3rver did not start: ${text}`);
  return port;
}

/** Polls until the server answers an HTTP request. */
async function waitUntilAnswering(endpoint: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/`);
      await response.body?.cancel();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Starts s3rver with `bucket` configured and waits until it answers. */
export async function startS3rver(bucket = "aurum-test"): Promise<S3rverProcess> {
  const directory = await Deno.makeTempDir({ prefix: "aurum-s3rver-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN.pathname, directory, bucket, "0"],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    const killer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
    }, 3_000);
    try {
      await child.status;
    } finally {
      clearTimeout(killer);
      await Deno.remove(directory, { recursive: true }).catch(() => {});
    }
  };

  try {
    const port = await readAnnouncement(child.stdout);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint);
    return {
      endpoint,
      port,
      bucket,
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
