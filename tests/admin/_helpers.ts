/** Runs the admin tasks as subprocesses against a temporary KV file and data folder. */

const ROOT = new URL("../../", import.meta.url);

/** A temporary data folder with its KV path; `remove()` deletes it. */
export async function tempCircle() {
  const dir = await Deno.makeTempDir({ prefix: "aurum-admin-" });
  return {
    dir,
    kvPath: `${dir}/aurum.kv`,
    env: { DATA_DIR: dir, KV_PATH: `${dir}/aurum.kv`, AURUM_ENV: "test" },
    remove: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Output of one task run. */
export interface TaskRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno task <name> …args` (through its `deno.json` command) with `env`. */
export async function runAdminTask(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<TaskRun> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const command: string = config.tasks[name];
  if (!command) throw new Error(`no task ${name}`);
  const [, ...parts] = command.split(" ");
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...parts, ...args],
    cwd: ROOT.pathname,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
