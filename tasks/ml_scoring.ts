/**
 * Admin tasks of the score model: `ml:refit` (the daily community refit, now) and `ml:rescore`
 * (rescores the photos scored by another model version). Run with `--help` for usage; the logic
 * lives in `core/scoring`.
 */
import { z } from "zod";
import { systemClock } from "@/core/clock.ts";
import { refitCommunityModel, rescoreStalePhotos } from "@/core/scoring/mod.ts";
import * as ml from "@/ml-wasm/mod.ts";
import { DRY_RUN_OPTION, runCommand, type TaskSpec } from "./lib/cli.ts";

const noPositionals = z.tuple([], "takes no arguments");

const refitSchema = z.object({
  positionals: noPositionals,
  "dry-run": z.boolean().optional(),
  holdout: z.string().regex(/^0?\.\d+$/, "must be a fraction such as 0.2").transform(Number)
    .pipe(z.number().min(0.05, "must be at least 0.05").max(0.5, "must be at most 0.5"))
    .optional(),
  "min-pairs": z.string().regex(/^\d+$/, "must be a whole number").transform(Number)
    .pipe(z.number().int().min(2, "must be at least 2")).optional(),
});

const pct = (x: number | null) => x === null ? "n/a" : `${(100 * x).toFixed(1)}%`;

/** `ml:refit [--dry-run] [--holdout 0.2] [--min-pairs 30]`. */
export const refitTask = {
  name: "ml:refit",
  help: `
deno task ml:refit [--dry-run] [--holdout 0.2] [--min-pairs 30]

Runs the daily community refit now: (signalled, passed) photo pairs of each viewer (same page when
impressions show one), a fit of the score model on the training share, stored as
community-YYYYMMDD-N only when its held-out accuracy beats the current model's, and every compared
photo's community offset. Prints the pairs, the accuracy before and after, and the new version or
why the current one was kept. --dry-run computes all of it and writes nothing.`,
  options: { ...DRY_RUN_OPTION, holdout: { type: "string" }, "min-pairs": { type: "string" } },
  schema: refitSchema,
  async run({ args, kv, print }) {
    const report = await refitCommunityModel({ kv, clock: systemClock, ml }, {
      dryRun: args["dry-run"] ?? false,
      holdout: args.holdout,
      minPairs: args["min-pairs"],
    });
    print(
      `pairs: ${report.pairs} (${report.samePagePairs} same page, ${report.sameViewerPairs} same ` +
        `viewer) from ${report.viewers} viewers over ${report.photos} photos; train ` +
        `${report.trainPairs}, held out ${report.heldOutPairs}`,
    );
    print(
      `held-out accuracy: before ${pct(report.accuracyBefore)} (${report.previousVersion}), ` +
        `after ${pct(report.accuracyAfter)} (${report.candidateVersion ?? "no fit"})`,
    );
    const verb = report.outcome === "stored"
      ? (report.dryRun ? "would store" : "stored")
      : (report.dryRun ? "would keep" : "kept");
    print(`${verb} ${report.version}: ${report.reason}`);
    print(
      `offsets ${report.dryRun ? "to write" : "written"}: ${report.offsetsWritten}, ` +
        `${report.dryRun ? "to remove" : "removed"}: ${report.offsetsRemoved}`,
    );
  },
} satisfies TaskSpec<typeof refitSchema>;

const rescoreSchema = z.object({ positionals: noPositionals, "dry-run": z.boolean().optional() });

/** `ml:rescore [--dry-run]`. */
export const rescoreTask = {
  name: "ml:rescore",
  help: `
deno task ml:rescore [--dry-run]

Rescores every scored photo whose latest score was computed by another model version than the
current one (after ml:refit stored a new model): a new history entry with the current version, and
the histogram, best scores and leaderboard move in the same commit. --dry-run counts them only.`,
  options: { ...DRY_RUN_OPTION },
  schema: rescoreSchema,
  async run({ args, kv, print }) {
    const report = await rescoreStalePhotos({ kv, clock: systemClock, ml }, {
      dryRun: args["dry-run"] ?? false,
    });
    print(
      `model ${report.version}: ${report.scored} scored photos, ${report.stale} scored by another ` +
        `version; ${report.dryRun ? "would rescore" : "rescored"} ${
          report.dryRun ? report.stale : report.rescored
        }, skipped ${report.skipped}`,
    );
  },
} satisfies TaskSpec<typeof rescoreSchema>;

if (import.meta.main) {
  await runCommand("ml", { refit: refitTask, rescore: rescoreTask });
}
