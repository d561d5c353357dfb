/**
 * `deno task reports`: prints the open member reports for review, oldest first, as a table (default)
 * or as JSON (`--json`). Options: `--kv=PATH` (default: the app's KV_PATH / DATA_DIR), `--limit=N`
 * (default 100), `--cursor=C` (next page; the cursor is printed after a full page).
 */
import { loadConfig } from "@/core/config.ts";
import { listReports, type Report } from "@/core/social/mod.ts";

/** Renders reports as a fixed-width text table (text shortened to one line). */
export function formatReportsTable(reports: Report[]): string {
  if (reports.length === 0) return "No open reports.";
  const rows = reports.map((report) => [
    report.id,
    new Date(report.createdAt).toISOString().slice(0, 16).replace("T", " "),
    report.reason,
    report.reported,
    report.reporter,
    report.text.replace(/\s+/g, " ").slice(0, 60) + (report.text.length > 60 ? "…" : ""),
  ]);
  const header = ["id", "created (UTC)", "reason", "reported", "reporter", "text"];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i].length))
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function main(): Promise<number> {
  const args = Object.fromEntries(
    Deno.args.map((arg) => arg.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
  );
  const path = args.kv ?? loadConfig(Deno.env.toObject()).kvPath;
  if (path !== undefined && path !== ":memory:") {
    try {
      await Deno.stat(path);
    } catch {
      console.error(`No KV store at ${path} (set --kv=PATH or KV_PATH).`);
      return 1;
    }
  }
  const limit = Number(args.limit ?? 100);
  const kv = await Deno.openKv(path);
  try {
    const page = await listReports(kv, { limit, cursor: args.cursor });
    if (args.json === "true") {
      console.log(JSON.stringify({ reports: page.values, cursor: page.cursor || null }, null, 2));
    } else {
      console.log(formatReportsTable(page.values));
      if (page.cursor) console.log(`\nMore: deno task reports --cursor=${page.cursor}`);
    }
  } finally {
    kv.close();
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
