/**
 * `dev(base, entry)`: what Fresh 1.x's `dev.ts` does. Modes by first argument:
 * (none) regenerate the manifest and import the entry in dev mode; `build` also write the island
 * bundles to `_fresh/`; `check` exit non-zero when the manifest or the bundles are stale.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeManifest } from "./manifest.ts";
import { buildIslands, readBuild, writeBuild } from "./build.ts";

async function islandFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, "islands"))) {
      if (entry.isFile && /\.(tsx|ts|jsx|js)$/.test(entry.name)) {
        files.push(`./islands/${entry.name}`);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files.sort();
}

/** True when the bundles committed in `outDir` are byte-identical to a fresh build. */
async function bundlesUpToDate(root: string, outDir: string): Promise<boolean> {
  const files = await islandFiles(root);
  const current = await readBuild(outDir);
  if (files.length === 0) return current === null;
  if (!current) return false;
  const next = await buildIslands({ root, islandFiles: files });
  if (next.buildId !== current.buildId || next.files.size !== current.files.size) return false;
  for (const [name, bytes] of next.files) {
    const old = current.files.get(name);
    if (!old || old.length !== bytes.length || old.some((b, i) => b !== bytes[i])) return false;
  }
  return true;
}

/** Runs the development workflow for the project whose `dev.ts` is at `base`. */
export async function dev(base: string, entry: string, args = Deno.args): Promise<void> {
  const root = dirname(fileURLToPath(base));
  const outDir = join(root, "_fresh");
  const mode = args[0];
  if (mode === "check") {
    const manifestOk = await writeManifest(root, true);
    const bundlesOk = await bundlesUpToDate(root, outDir);
    if (!manifestOk) console.error("fresh.gen.ts is stale: run `deno task manifest`.");
    if (!bundlesOk) console.error("_fresh/ is stale: run `deno task build`.");
    if (!manifestOk || !bundlesOk) Deno.exit(1);
    console.log("fresh.gen.ts and _fresh/ are up to date.");
    return;
  }
  await writeManifest(root);
  if (mode === "build") {
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
    const files = await islandFiles(root);
    if (files.length) {
      const build = await buildIslands({ root, islandFiles: files });
      await writeBuild(outDir, build);
      console.log(`Built ${build.files.size} files (build ${build.buildId}) into ${outDir}`);
    }
    return;
  }
  Deno.env.set("FRESH_DEV", "1");
  await import(new URL(entry, base).href);
}
