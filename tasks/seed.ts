/** `deno task seed [--force] [--members N] [--dry-run]`: a demo circle on the local database. */
import { z } from "zod";
import { systemClock } from "@/core/clock.ts";
import { circleHasMembers, seedCircle } from "@/core/admin/mod.ts";
import { createVectorStore } from "@/core/discovery/mod.ts";
import { photoRecordHooks } from "@/core/scoring/mod.ts";
import { analyzePhoto, mlInternals, preparePhoto } from "@/ml-wasm/mod.ts";
import { DRY_RUN_OPTION, isKvUrl, runTask, type TaskSpec, UsageError } from "./lib/cli.ts";

/** The face photos the seed crops its members' portraits from. */
const SOURCE_DIR = new URL("../node_modules/@vladmandic/face-api/demo/", import.meta.url);

const schema = z.object({
  positionals: z.tuple([], "takes no positional arguments"),
  force: z.boolean().optional(),
  members: z.string().regex(/^[0-9]+$/, "must be a whole number").transform(Number)
    .pipe(z.number().int().min(4, "must be at least 4").max(26, "must be at most 26")).optional(),
  "dry-run": z.boolean().optional(),
});

/** The task. */
export const seedTask = {
  name: "seed",
  help: `
deno task seed [--force] [--members N] [--dry-run]

Fills the local database (KV_PATH, objects under DATA_DIR) with a demo circle: N members (24 by
default, 4–26) with face photos, profiles, signals and matches, open invites, a report and two
upcoming events — all through the product's own functions. Then: deno task start, and sign in.

Refuses a circle that already has members unless --force, which seeds alongside them and skips
the seeded members that already exist (so running it twice changes nothing more). Refuses
AURUM_ENV=production and remote (KV Connect) databases.`,
  options: { force: { type: "boolean" }, members: { type: "string" }, ...DRY_RUN_OPTION },
  schema,
  kv: "create",
  objects: true,
  guard(env) {
    if (env.AURUM_ENV === "production") {
      throw new UsageError("refusing to seed demo data with AURUM_ENV=production");
    }
    if (env.KV_PATH && isKvUrl(env.KV_PATH)) {
      throw new UsageError("seed writes only to a local KV file");
    }
  },
  async run({ args, config, kv, objects, print }) {
    if (!args.force && !args["dry-run"] && await circleHasMembers(kv)) {
      throw new UsageError(
        "the circle already has members; pass --force to seed alongside them",
      );
    }
    const sources: Uint8Array[] = [];
    for await (const entry of Deno.readDir(SOURCE_DIR)) {
      if (/^sample\d+\.jpg$/.test(entry.name)) {
        sources.push(await Deno.readFile(new URL(entry.name, SOURCE_DIR)));
      }
    }
    if (!sources.length) {
      throw new Error(`no face photos in ${SOURCE_DIR.pathname} (run deno task setup)`);
    }
    // Seeded photos keep their analysis and enter the vector store, as uploads do.
    const vectors = createVectorStore(kv, config.vectors);
    const photoRecords = photoRecordHooks({
      kv,
      clock: systemClock,
      vectors,
      logFailure: (event, fields) => print(`${event} ${JSON.stringify(fields)}`),
    });
    const summary = await seedCircle(
      {
        kv,
        clock: systemClock,
        objects: objects!,
        photoRecords,
        ml: {
          analyzePhoto,
          preparePhoto,
          decodeRgb: (bytes) => mlInternals.decodeRgb(bytes),
          encodeJpeg: mlInternals.encodeJpeg,
        },
      },
      { sources, members: args.members, force: args.force, dryRun: args["dry-run"], log: print },
    ).finally(() => vectors.close());
    const { roster, ...counts } = summary;
    print(JSON.stringify(counts));
    if (summary.dryRun) print("dry run: nothing was written");
    else {print(
        `first member: ${roster[0].name} ${roster[0].wallet} (profile ${roster[0].profileId})`,
      );}
  },
} satisfies TaskSpec<typeof schema>;

if (import.meta.main) Deno.exitCode = await runTask(seedTask);
