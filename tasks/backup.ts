/**
 * `deno task backup --out FILE [--with-objects DIR]` and
 * `deno task restore --in FILE [--with-objects DIR] [--dry-run]`. See `--help`.
 */
import { dirname, join } from "node:path";
import { z } from "zod";
import { systemClock } from "@/core/clock.ts";
import {
  buildObjectManifest,
  exportKv,
  isKvEmpty,
  objectManifestSchema,
  restoreKv,
  restoreObjects,
} from "@/core/admin/mod.ts";
import { DRY_RUN_OPTION, runCommand, type TaskSpec, UsageError } from "./lib/cli.ts";
import { createLineWriter, readLines } from "./lib/lines.ts";

/** Where the objects manifest of backup `file` is written. */
export const manifestPath = (file: string) => `${file}.objects.json`;

/** The copy of object `key` under `dir` (keys are `/`-separated; `..` segments are refused). */
function objectPath(dir: string, key: string): string {
  if (key.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new UsageError(`object key ${JSON.stringify(key)} cannot be a file path`);
  }
  return join(dir, ...key.split("/"));
}

const path = (flag: string) => z.string(`--${flag} is required`).min(1, "must not be empty");

const backupSchema = z.object({
  positionals: z.tuple([], "takes no positional arguments"),
  out: path("out"),
  "with-objects": z.string().min(1).optional(),
});

/** `backup`. */
export const backupTask = {
  name: "backup",
  help: `
deno task backup --out FILE [--with-objects DIR]

Writes the whole KV store to FILE as NDJSON (a header line, then one {"key", "value"} line per
entry, types kept), and FILE.objects.json: every object's key, size, SHA-256, content type and
metadata. --with-objects copies the objects under DIR (one file per key). Refuses an existing FILE.`,
  options: { out: { type: "string" }, "with-objects": { type: "string" } },
  schema: backupSchema,
  objects: true,
  async run({ args, kv, objects, print }) {
    await Deno.mkdir(dirname(args.out), { recursive: true });
    for (const file of [args.out, manifestPath(args.out)]) {
      if (await exists(file)) throw new UsageError(`${file} exists; choose a new --out`);
    }
    const now = systemClock.now();
    const writer = await createLineWriter(args.out);
    let entries: number;
    try {
      entries = await exportKv(kv, writer.write, now);
    } finally {
      await writer.close();
    }
    const copyDir = args["with-objects"];
    const manifest = await buildObjectManifest(
      objects!,
      now,
      copyDir
        ? async (key, bytes) => {
          const file = objectPath(copyDir, key);
          await Deno.mkdir(dirname(file), { recursive: true });
          await Deno.writeFile(file, bytes);
        }
        : undefined,
    );
    await Deno.writeTextFile(manifestPath(args.out), JSON.stringify(manifest, null, 2) + "\n", {
      createNew: true,
    });
    const bytes = manifest.objects.reduce((sum, o) => sum + o.size, 0);
    print(`backed up ${entries} KV entries to ${args.out}`);
    print(
      `objects: ${manifest.objects.length} (${bytes} bytes) in ${manifestPath(args.out)}` +
        (copyDir ? `, copied to ${copyDir}` : ""),
    );
  },
} satisfies TaskSpec<typeof backupSchema>;

const restoreSchema = z.object({
  positionals: z.tuple([], "takes no positional arguments"),
  in: path("in"),
  "with-objects": z.string().min(1).optional(),
  "dry-run": z.boolean().optional(),
});

/** `restore`. */
export const restoreTask = {
  name: "restore",
  help: `
deno task restore --in FILE [--with-objects DIR] [--dry-run]

Restores a backup into an EMPTY KV store (and, with --with-objects, an empty object store, checking
each copy against the SHA-256 in FILE.objects.json). Refuses a store holding anything (exit 2).
Every line is checked before anything is written. --dry-run checks only.`,
  options: { in: { type: "string" }, "with-objects": { type: "string" }, ...DRY_RUN_OPTION },
  schema: restoreSchema,
  kv: "create",
  objects: true,
  async run({ args, kv, objects, print }) {
    if (!(await exists(args.in))) throw new UsageError(`no backup at ${args.in}`);
    if (!(await isKvEmpty(kv))) {
      throw new UsageError("the KV store is not empty; restore only into an empty store");
    }
    const copyDir = args["with-objects"];
    let manifest = null;
    if (copyDir) {
      const parsed = objectManifestSchema.safeParse(
        JSON.parse(await Deno.readTextFile(manifestPath(args.in)).catch(() => "null")),
      );
      if (!parsed.success) {
        throw new UsageError(`${manifestPath(args.in)} is not an objects manifest`);
      }
      manifest = parsed.data;
      if ((await objects!.list("", { limit: 1 })).values.length) {
        throw new UsageError("the object store is not empty; restore only into an empty store");
      }
    }
    const dryRun = args["dry-run"];
    const read = async (key: string) => {
      try {
        return await Deno.readFile(objectPath(copyDir!, key));
      } catch {
        return null;
      }
    };
    // Objects first (all checked before any write), so a bad copy leaves the KV untouched too.
    const restoredObjects = manifest
      ? await restoreObjects(objects!, manifest, read, { dryRun: true })
      : 0;
    const entries = await restoreKv(kv, () => readLines(args.in), { dryRun });
    if (manifest && !dryRun) await restoreObjects(objects!, manifest, read);
    const verb = dryRun ? "would restore" : "restored";
    print(`${verb} ${entries} KV entries from ${args.in}`);
    if (manifest) print(`${verb} ${restoredObjects} objects from ${copyDir}`);
  },
} satisfies TaskSpec<typeof restoreSchema>;

async function exists(file: string): Promise<boolean> {
  try {
    await Deno.stat(file);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) await runCommand("backup", { backup: backupTask, restore: restoreTask });
