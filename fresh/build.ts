/**
 * Builds the browser bundles: one `deno bundle` run with the boot entry and one entry per island
 * file, code-split so Preact lands once in a shared chunk. Beside it, bundled in runs of their own
 * so nothing they need joins the islands' shared chunks: each `client/vendor/<name>.ts` (a library
 * loaded on demand with `import(new URL("<name>.js", import.meta.url))`; CommonJS in its
 * dependencies would otherwise put esbuild's interop helpers in a chunk every island imports) and
 * each `client/scripts/<name>.ts` (a classic script a page loads by `bundledScript` of
 * `$fresh/runtime.ts`).
 * All land flat as `<name>.js` in the build. Output is deterministic. The server
 * compiles JSX to precompiled templates (strings for `renderToString`), which the browser cannot
 * render; the bundle compiles the same files with the automatic runtime (`react-jsx`) instead.
 */
import { dirname, join, resolve } from "node:path";
import { componentExports, islandFileId } from "./islands/registry.ts";
import type { IslandAssets } from "./islands/render.ts";

/** The bundles of one build, keyed by file name relative to the build dir. */
export interface BuildResult {
  buildId: string;
  files: Map<string, Uint8Array>;
  /** The boot entry's file. */
  boot: string;
  /** Manifest island key (e.g. `./islands/Counter.tsx`) → its entry file. */
  islands: Record<string, string>;
  /** Static imports per file, for modulepreload. */
  imports: Record<string, string[]>;
}

const BOOT_MODULE = new URL("./runtime/boot.ts", import.meta.url);
const BUILD_JSON = "build.json";

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** The chunk files a bundle statically imports (`import … from "./x.js"`, `export … from`). */
export function staticImports(code: string, files: Set<string>): string[] {
  const found = new Set<string>();
  const pattern = /\b(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?["']\.\/([^"']+)["']/g;
  for (const match of code.matchAll(pattern)) {
    if (files.has(match[1])) found.add(match[1]);
  }
  return [...found].sort();
}

async function contentHash(files: Map<string, Uint8Array>): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const name of [...files.keys()].sort()) {
    parts.push(encoder.encode(`${name}\0`), files.get(name)!, encoder.encode("\0"));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function islandEntry(root: string, file: string): Promise<string> {
  const url = new URL(file, new URL(`file://${root.replace(/\/?$/, "/")}`));
  const names = componentExports(await import(url.href));
  if (names.length === 0) throw new Error(`Island module ${file} exports no component`);
  return `export { ${names.join(", ")} } from ${
    JSON.stringify(decodeURIComponent(url.pathname))
  };\n`;
}

/** The nearest `deno.json` at or above `dir`, as Deno itself finds it. */
async function findDenoJson(dir: string): Promise<string> {
  for (let at = resolve(dir);; at = dirname(at)) {
    const candidate = join(at, "deno.json");
    if (await Deno.stat(candidate).then(() => true, () => false)) return candidate;
    if (dirname(at) === at) throw new Error(`No deno.json at or above ${dir}`);
  }
}

/**
 * The project's `deno.json` with JSX compiled for the browser, written next to it (so the import
 * map, `node_modules` and the lock resolve as for the server) under a name unique to this build.
 */
async function writeBundleConfig(root: string): Promise<string> {
  const denoJson = await findDenoJson(root);
  const project = JSON.parse(await Deno.readTextFile(denoJson));
  const compilerOptions = { ...project.compilerOptions, jsx: "react-jsx" };
  delete compilerOptions.jsxPrecompileSkipElements;
  const path = join(dirname(denoJson), `.fresh-bundle-${crypto.randomUUID()}.json`);
  await Deno.writeTextFile(path, JSON.stringify({ ...project, compilerOptions }));
  return path;
}

/** The `.ts` files (not `.d.ts`) directly in `<root>/<dir>`, sorted; none when it does not exist. */
async function entryFiles(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, dir))) {
      if (entry.isFile && /(?<!\.d)\.ts$/.test(entry.name)) found.push(join(root, dir, entry.name));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

/** One minified `deno bundle` run of `entryPaths` into `outDir`; throws with its stderr. */
async function bundle(
  root: string,
  config: string,
  outDir: string,
  entryPaths: string[],
  codeSplitting: boolean,
): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--config",
      config,
      "--platform",
      "browser",
      ...(codeSplitting ? ["--code-splitting"] : []),
      "--minify",
      "--outdir",
      outDir,
      ...entryPaths,
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!result.success) {
    throw new Error(`deno bundle failed:\n${new TextDecoder().decode(result.stderr)}`);
  }
}

/** Adds the `.js` files of `dir` to `files`; a name already there is an error. */
async function collect(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) names.push(entry.name);
  }
  for (const name of names.sort()) {
    if (files.has(name)) throw new Error(`Two bundles write the file ${name}`);
    files.set(name, await Deno.readFile(`${dir}/${name}`));
  }
}

/**
 * Bundles the boot code and the given island files of the project at `root`, and its
 * `client/vendor/` and `client/scripts/` entries (see the module comment).
 */
export async function buildIslands(
  opts: { root: string; islandFiles: string[] },
): Promise<BuildResult> {
  const tmp = await Deno.makeTempDir({ prefix: "fresh-build-" });
  const config = await writeBundleConfig(opts.root);
  try {
    const entries = `${tmp}/entries`, out = `${tmp}/out`;
    await Deno.mkdir(entries);
    // Entry file names become output names, so they carry no machine-specific part.
    await Deno.writeTextFile(
      `${entries}/boot.ts`,
      `export { boot } from ${JSON.stringify(decodeURIComponent(BOOT_MODULE.pathname))};\n`,
    );
    const islands: Record<string, string> = {};
    const entryPaths = [`${entries}/boot.ts`];
    for (const file of [...opts.islandFiles].sort()) {
      const name = `island-${islandFileId(file)}`;
      if (Object.values(islands).includes(`${name}.js`)) {
        throw new Error(`Two island files map to the same bundle name ${name}`);
      }
      await Deno.writeTextFile(`${entries}/${name}.ts`, await islandEntry(opts.root, file));
      islands[file] = `${name}.js`;
      entryPaths.push(`${entries}/${name}.ts`);
    }
    await bundle(opts.root, config, out, entryPaths, true);
    const unsorted = new Map<string, Uint8Array>();
    await collect(out, unsorted);
    const vendors = await entryFiles(opts.root, "client/vendor");
    if (vendors.length) {
      await bundle(opts.root, config, `${tmp}/vendor`, vendors, true);
      await collect(`${tmp}/vendor`, unsorted);
    }
    const scripts = await entryFiles(opts.root, "client/scripts");
    if (scripts.length) {
      await bundle(opts.root, config, `${tmp}/scripts`, scripts, false);
      await collect(`${tmp}/scripts`, unsorted);
    }
    const names = [...unsorted.keys()].sort();
    const files = new Map(names.map((name) => [name, unsorted.get(name)!]));
    const known = new Set(names);
    const imports: Record<string, string[]> = {};
    const decoder = new TextDecoder();
    for (const [name, bytes] of files) {
      if (name.endsWith(".js")) imports[name] = staticImports(decoder.decode(bytes), known);
    }
    return {
      buildId: await contentHash(files),
      files,
      boot: "boot.js",
      islands: sortedRecord(islands),
      imports: sortedRecord(imports),
    };
  } finally {
    await Deno.remove(tmp, { recursive: true });
    await Deno.remove(config);
  }
}

/** Writes the build's files and `build.json` into `outDir`, removing stale `.js` files there. */
export async function writeBuild(outDir: string, build: BuildResult): Promise<void> {
  await Deno.mkdir(outDir, { recursive: true });
  for await (const entry of Deno.readDir(outDir)) {
    if (entry.isFile && entry.name.endsWith(".js") && !build.files.has(entry.name)) {
      await Deno.remove(`${outDir}/${entry.name}`);
    }
  }
  for (const [name, bytes] of build.files) await Deno.writeFile(`${outDir}/${name}`, bytes);
  const meta = {
    buildId: build.buildId,
    boot: build.boot,
    islands: sortedRecord(build.islands),
    imports: sortedRecord(build.imports),
    files: [...build.files.keys()].sort(),
  };
  await Deno.writeTextFile(`${outDir}/${BUILD_JSON}`, JSON.stringify(meta, null, 2) + "\n");
}

/** Reads a build written by {@link writeBuild}; null when `outDir` has no `build.json`. */
export async function readBuild(outDir: string): Promise<BuildResult | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${outDir}/${BUILD_JSON}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const meta = JSON.parse(text) as Omit<BuildResult, "files"> & { files: string[] };
  const files = new Map<string, Uint8Array>();
  for (const name of meta.files) files.set(name, await Deno.readFile(`${outDir}/${name}`));
  return {
    buildId: meta.buildId,
    files,
    boot: meta.boot,
    islands: meta.islands,
    imports: meta.imports,
  };
}

/** Asset urls of a build, served under `<basePath>/<buildId>/<file>`. */
export function islandAssets(build: BuildResult, basePath = "/_fresh/js"): IslandAssets {
  const prefix = `${basePath}/${build.buildId}/`;
  return {
    buildId: build.buildId,
    bootUrl: prefix + build.boot,
    chunkUrl(islandFile) {
      const file = build.islands[islandFile];
      if (!file) throw new Error(`Island ${islandFile} is not in build ${build.buildId}`);
      return prefix + file;
    },
    preloadUrls(urls) {
      const seen = new Set<string>();
      const add = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const dep of build.imports[file] ?? []) add(dep);
      };
      for (const url of urls) add(url.startsWith(prefix) ? url.slice(prefix.length) : url);
      return [...seen].map((file) => prefix + file);
    },
  };
}
