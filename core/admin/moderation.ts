/**
 * Resolving a member report with an action: `dismiss` closes it, `warn` also records a warning the
 * reported member sees on their vault page, `suspend` also suspends the reported member (signing
 * them out everywhere).
 */
import type { Clock } from "@/core/clock.ts";
import { BadRequestError } from "@/core/errors.ts";
import { getReport, type Report, resolveReport, warnMember } from "@/core/social/mod.ts";
import { suspendMember } from "./members.ts";

/** What an admin may do with a report. */
export const REPORT_ACTIONS = ["dismiss", "warn", "suspend"] as const;
/** One of {@link REPORT_ACTIONS}. */
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/** Outcome of {@link resolveReportWithAction}. */
export interface ReportResolution {
  report: Report;
  action: ReportAction;
  /** The resolution text stored on the report. */
  resolution: string;
  /** Sessions of the reported member removed (suspend). */
  sessionsRevoked: number;
  dryRun: boolean;
}

/** Default note of a warning when the admin gives none. */
const DEFAULT_WARNING =
  "A member reported your behaviour and the admins agreed. Please keep to the circle's rules.";

/**
 * Resolves report `id` with `action` (NotFoundError `report_not_found`; BadRequestError
 * `report_already_resolved`). A dry run reads and checks but changes nothing.
 */
export async function resolveReportWithAction(
  kv: Deno.Kv,
  clock: Clock,
  input: { id: string; action: ReportAction; note?: string; dryRun?: boolean },
): Promise<ReportResolution> {
  const report = await getReport(kv, input.id);
  if (report.status === "resolved") {
    throw new BadRequestError(
      "report_already_resolved",
      `Report ${report.id} was already resolved: ${report.resolution ?? ""}`.trim(),
    );
  }
  const note = input.note?.trim() ?? "";
  const resolution = `${input.action}${note ? `: ${note}` : ""}`.slice(0, 1000);
  if (input.dryRun) {
    return { report, action: input.action, resolution, sessionsRevoked: 0, dryRun: true };
  }
  let sessionsRevoked = 0;
  if (input.action === "warn") {
    await warnMember(kv, clock, {
      wallet: report.reported,
      note: note || DEFAULT_WARNING,
      reportId: report.id,
    });
  } else if (input.action === "suspend") {
    const reason = `report ${report.id} (${report.reason})${note ? `: ${note}` : ""}`;
    sessionsRevoked =
      (await suspendMember(kv, clock, report.reported, { reason: reason.slice(0, 500) }))
        .sessionsRevoked;
  }
  const resolved = await resolveReport(kv, clock, report.id, resolution);
  return { report: resolved, action: input.action, resolution, sessionsRevoked, dryRun: false };
}
