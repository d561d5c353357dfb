/** Starts a throwaway `redis-server` (Debian package) on a free loopback port for one test. */
import { findFreeLoopbackPort } from "@/tasks/lib/free_port.ts";

/** A running redis-server, daemonized; stop it with {@link RedisServer.stop}. */
export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server by PID (SIGKILL when `abruptly`), waits for it to go away, removes its files. */
  stop(options?: { abruptly?: boolean }): Promise<void>;
  /** Starts the server again on the same port (after a stop). */
  restart(): Promise<void>;
}

/** Runs a command to completion and returns its trimmed stdout. */
async function run(command: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  const output = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { ok: output.success, stdout: new TextDecoder().decode(output.stdout).trim() };
}

/** True while a process with `pid` is alive (a zombie awaiting its reaper counts as gone). */
async function processAlive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Starts redis-server with no persistence and waits for `redis-cli ping` to answer PONG. */
export async function startRedis(): Promise<RedisServer> {
  const port = findFreeLoopbackPort();
  const directory = await Deno.makeTempDir({ prefix: "aurum-redis-" });
  const pidFile = `${directory}/redis.pid`;
  let stopped = false;

  const launch = async () => {
    const started = await run("redis-server", [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "yes",
      "--pidfile",
      pidFile,
      "--dir",
      directory,
      "--logfile",
      `${directory}/redis.log`,
    ]);
    if (!started.ok) throw new Error("redis-server failed to start");
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const ping = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"]);
      if (ping.stdout === "PONG") return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };

  const kill = async (signal: Deno.Signal) => {
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error("unreadable redis pid file");
    Deno.kill(pid, signal);
    const deadline = Date.now() + 5_000;
    while (await processAlive(pid)) {
      if (Date.now() > deadline) throw new Error(`redis-server ${pid} did not exit`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Deno.remove(pidFile).catch(() => {});
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop(options = {}) {
      if (stopped) return;
      stopped = true;
      try {
        await kill(options.abruptly ? "SIGKILL" : "SIGTERM");
      } finally {
        await Deno.remove(directory, { recursive: true }).catch(() => {});
      }
    },
    async restart() {
      if (!stopped) throw new Error("restart() needs a stopped server");
      await Deno.mkdir(directory, { recursive: true });
      await launch();
      stopped = false;
    },
  };
}
