/** main.ts as a real child process on a temp data folder and KV file, for the restart tests. */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A running main.ts. */
export interface MainProcess {
  child: Deno.ChildProcess;
  output(): string;
  /** Waits for the exit and the end of the output pipes. */
  finished(): Promise<Deno.CommandStatus>;
  /** Sends `signal` (ignored when the process is gone) and waits for the exit. */
  stop(signal: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Spawns main.ts with `env` on `port`; resolves once it listens (or rejects with its output). */
export async function spawnMain(port: number, env: Record<string, string>): Promise<MainProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: {
      AURUM_ENV: "development",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
      NO_COLOR: "1",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const listening = Promise.withResolvers<void>();
  const collect = (stream: ReadableStream<Uint8Array<ArrayBuffer>>) =>
    stream.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write(text) {
          output += text;
          if (output.includes("listening on")) listening.resolve();
        },
      }),
    );
  const pipes = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const exited = child.status.then((status) => {
    listening.reject(new Error(`main.ts exited before listening:\n${output}`));
    return status;
  });
  const timeout = setTimeout(
    () => listening.reject(new Error(`no listen in 60 s:\n${output}`)),
    60_000,
  );
  const finished = async () => {
    const status = await exited;
    await pipes;
    return status;
  };
  try {
    await listening.promise;
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await finished();
    throw error;
  } finally {
    clearTimeout(timeout);
  }
  return {
    child,
    output: () => output,
    finished,
    async stop(signal) {
      try {
        child.kill(signal);
      } catch { /* already exited */ }
      return await finished();
    },
  };
}
