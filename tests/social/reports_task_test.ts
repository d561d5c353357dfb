import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { reportMember } from "@/core/social/safety.ts";
import { formatReportsTable } from "@/tasks/reports.ts";

const TASK = new URL("../../tasks/reports.ts", import.meta.url).pathname;
const REPORTER = `0x${"1".repeat(40)}`;
const REPORTED = `0x${"2".repeat(40)}`;

async function runTask(args: string[]): Promise<{ code: number; stdout: string }> {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TASK, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return { code, stdout: new TextDecoder().decode(stdout) };
}

Deno.test("[safety] reported content appears in `deno task reports` (table and JSON)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/reports.kv`;
  try {
    const kv = await Deno.openKv(path);
    const report = await reportMember(kv, createManualClock(Date.UTC(2025, 0, 15)), {
      reporter: REPORTER,
      reported: REPORTED,
      reason: "fake_profile",
      text: "Photos are of a celebrity",
    });
    kv.close();
    const table = await runTask([`--kv=${path}`]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /fake_profile/);
    assert.match(table.stdout, /Photos are of a celebrity/);
    assert.ok(table.stdout.includes(REPORTED));
    const json = await runTask([`--kv=${path}`, "--json"]);
    assert.equal(json.code, 0);
    const body = JSON.parse(json.stdout);
    assert.deepEqual(body.reports.map((r: { id: string }) => r.id), [report.id]);
    assert.equal(body.cursor, null);
    assert.equal(formatReportsTable([]), "No open reports.");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
