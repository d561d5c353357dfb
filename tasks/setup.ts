/**
 * `deno task setup`: installs what the tests need and the machine lacks — Debian packages
 * (Chromium for browser tests, Redis for the cache adapter tests) — and the npm dependencies
 * pinned in `deno.lock`. Idempotent; run by `deno task test` before the tests.
 */

/** Debian packages the test suite needs, by the command that proves each is installed. */
const PACKAGES: Record<string, string> = {
  "/usr/bin/chromium": "chromium",
  "/usr/bin/redis-server": "redis-server",
};

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[]): Promise<void> {
  const { code } = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" })
    .output();
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${code}`);
}

const missing: string[] = [];
for (const [path, pkg] of Object.entries(PACKAGES)) if (!(await exists(path))) missing.push(pkg);
if (missing.length) {
  const asRoot = Deno.uid() === 0;
  const sudo = asRoot ? [] : ["sudo"];
  console.log(`Installing Debian packages: ${missing.join(" ")}`);
  const apt = (args: string[]) =>
    run(sudo[0] ?? "apt-get", [...(asRoot ? [] : ["apt-get"]), ...args]);
  await apt(["update", "-qq"]);
  await apt(["install", "-y", "--no-install-recommends", ...missing]);
}
await run(Deno.execPath(), ["install", "--frozen"]);
