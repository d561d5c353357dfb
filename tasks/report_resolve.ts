/** `deno task reports:resolve <reportId> --action dismiss|warn|suspend [--note …] [--dry-run]`. */
import { z } from "zod";
import { systemClock } from "@/core/clock.ts";
import { REPORT_ACTIONS, resolveReportWithAction } from "@/core/admin/mod.ts";
import { DRY_RUN_OPTION, runTask, type TaskSpec } from "./lib/cli.ts";

const schema = z.object({
  positionals: z.tuple([
    z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/i, "must be a report id (26-character ULID)")
      .transform((id) => id.toUpperCase()),
  ], "give one report id"),
  action: z.enum(REPORT_ACTIONS, "must be dismiss, warn or suspend"),
  note: z.string().trim().max(900, "must be at most 900 characters").optional(),
  "dry-run": z.boolean().optional(),
});

/** The task. */
export const resolveTask = {
  name: "reports:resolve",
  help: `
deno task reports:resolve <reportId> --action dismiss|warn|suspend [--note "…"] [--dry-run]

Closes an open report (see deno task reports). dismiss: no action. warn: the reported member sees
the note (or a standard warning) on their vault page for two weeks. suspend: the reported member is
suspended and signed out everywhere. The action and note are stored as the report's resolution.`,
  options: { action: { type: "string" }, note: { type: "string" }, ...DRY_RUN_OPTION },
  schema,
  async run({ args, kv, print }) {
    const result = await resolveReportWithAction(kv, systemClock, {
      id: args.positionals[0],
      action: args.action,
      note: args.note,
      dryRun: args["dry-run"],
    });
    const { report } = result;
    if (result.dryRun) {
      print(
        `would resolve report ${report.id} about ${report.reported} with "${result.resolution}"`,
      );
      return;
    }
    print(
      `resolved report ${report.id} about ${report.reported}: ${result.resolution}` +
        (result.action === "suspend" ? ` (sessions revoked: ${result.sessionsRevoked})` : ""),
    );
  },
} satisfies TaskSpec<typeof schema>;

if (import.meta.main) Deno.exitCode = await runTask(resolveTask);
