/**
 * Admin tasks about one member: `member:show`, `member:suspend`, `member:unsuspend`,
 * `member:export`, `member:delete`, `invites:grant`. Run with `--help` for usage; logic lives in
 * `core/admin`, `core/account` and `core/social`.
 */
import { z } from "zod";
import { systemClock } from "@/core/clock.ts";
import { memberOverview, resolveMember, suspendMember, unsuspendMember } from "@/core/admin/mod.ts";
import { deleteAccount, exportMemberData, planAccountDeletion } from "@/core/account/mod.ts";
import { photoRecordHooks } from "@/core/scoring/mod.ts";
import { createVectorStore } from "@/core/discovery/mod.ts";
import { extraInviteAllowance, grantExtraInvites, MAX_EXTRA_INVITES } from "@/core/social/mod.ts";
import {
  DRY_RUN_OPTION,
  memberRefSchema,
  runCommand,
  type TaskSpec,
  UsageError,
} from "./lib/cli.ts";

const oneMember = z.object({ positionals: z.tuple([memberRefSchema], "give one member") });

/** `member:show <profileId|wallet>`: everything an admin needs about a member, as JSON. */
export const showTask = {
  name: "member:show",
  help: `
deno task member:show <profileId|wallet>

Prints, as JSON, what an admin needs about one member: membership, World ID level, suspension,
profile summary, live sessions, invites and the extra allowance, signals and matches, reports about
them and warnings. No session ids, nullifiers or IP hashes.`,
  options: {},
  schema: oneMember,
  async run({ args, kv, print }) {
    const member = await resolveMember(kv, args.positionals[0]);
    print(JSON.stringify(await memberOverview(kv, systemClock, member.wallet), null, 2));
  },
} satisfies TaskSpec<typeof oneMember>;

const suspendSchema = oneMember.extend({
  reason: z.string().trim().max(500, "must be at most 500 characters").optional(),
  "dry-run": z.boolean().optional(),
});

/** `member:suspend <member> [--reason …] [--dry-run]`. */
export const suspendTask = {
  name: "member:suspend",
  help: `
deno task member:suspend <profileId|wallet> [--reason "…"] [--dry-run]

Suspends a member: every session is removed at once, and sign-in and every session check refuse
them with a plain message until member:unsuspend. --dry-run says what would happen.`,
  options: { reason: { type: "string" }, ...DRY_RUN_OPTION },
  schema: suspendSchema,
  async run({ args, kv, print }) {
    const member = await resolveMember(kv, args.positionals[0]);
    const result = await suspendMember(kv, systemClock, member.wallet, {
      reason: args.reason,
      dryRun: args["dry-run"],
    });
    const verb = result.dryRun
      ? "would suspend"
      : result.changed
      ? "suspended"
      : "already suspended";
    print(
      `${verb} ${member.wallet}; sessions ${
        result.dryRun ? "to revoke" : "revoked"
      }: ${result.sessionsRevoked}`,
    );
  },
} satisfies TaskSpec<typeof suspendSchema>;

const unsuspendSchema = oneMember.extend({ "dry-run": z.boolean().optional() });

/** `member:unsuspend <member> [--dry-run]`. */
export const unsuspendTask = {
  name: "member:unsuspend",
  help: `
deno task member:unsuspend <profileId|wallet> [--dry-run]

Lifts a suspension; the member can sign in again.`,
  options: { ...DRY_RUN_OPTION },
  schema: unsuspendSchema,
  async run({ args, kv, print }) {
    const member = await resolveMember(kv, args.positionals[0]);
    const result = await unsuspendMember(kv, systemClock, member.wallet, {
      dryRun: args["dry-run"],
    });
    const verb = result.dryRun
      ? (result.changed ? "would unsuspend" : "not suspended, nothing to do for")
      : result.changed
      ? "unsuspended"
      : "was not suspended:";
    print(`${verb} ${member.wallet}`);
  },
} satisfies TaskSpec<typeof unsuspendSchema>;

/** Export links and deletion hashes are keyed by the app secret: it must be the server's. */
function requireAppSecret(env: Record<string, string | undefined>): void {
  if (!env.APP_SECRET) {
    throw new UsageError(
      "set APP_SECRET to the server's secret (locally: APP_SECRET=$(cat data/app_secret))",
    );
  }
}

const exportSchema = oneMember.extend({
  out: z.string().min(1, "must name a file").optional(),
});

/** `member:export <member> [--out file]`. */
export const exportTask = {
  name: "member:export",
  help: `
deno task member:export <profileId|wallet> [--out file]

Writes everything held about one member as JSON — what they download themselves from "Your data":
member record (no nullifier), profile, photos as 15-minute signed links, analyses and scores,
signals sent, matches, invites, tickets, reports filed, sessions (times only), warnings. Other
members appear by profile id only. Prints to stdout unless --out is given. Needs APP_SECRET.`,
  options: { out: { type: "string" } },
  schema: exportSchema,
  objects: true,
  guard: requireAppSecret,
  async run({ args, kv, objects, config, print }) {
    const member = await resolveMember(kv, args.positionals[0]);
    const data = await exportMemberData(
      { kv, clock: systemClock, objects: objects!, appSecret: config.appSecret },
      member.wallet,
    );
    const text = JSON.stringify(data, null, 2);
    if (!args.out) return print(text);
    await Deno.writeTextFile(args.out, text + "\n", { mode: 0o600 });
    print(`wrote the data of ${member.wallet} to ${args.out}`);
  },
} satisfies TaskSpec<typeof exportSchema>;

const deleteSchema = oneMember.extend({ "dry-run": z.boolean().optional() });

/** `member:delete <member> [--dry-run]`. */
export const deleteTask = {
  name: "member:delete",
  help: `
deno task member:delete <profileId|wallet> [--dry-run]

Deletes a member's account as "Delete my account" does: profile, photos and renditions, vectors,
analyses and scores, signals either way, matches (the other side is told), invites, reports, sessions
and the member record. Tickets stay, naming an anonymous marker; the World ID is kept only as a hash
for a 30-day cool-off. A run stopped half-way is finished by running it again (or by the queue).
--dry-run says what would be deleted. Needs APP_SECRET.`,
  options: { ...DRY_RUN_OPTION },
  schema: deleteSchema,
  objects: true,
  guard: requireAppSecret,
  async run({ args, kv, objects, config, print }) {
    const member = await resolveMember(kv, args.positionals[0]);
    if (args["dry-run"]) {
      const plan = await planAccountDeletion(kv, member.wallet);
      print(
        `would delete ${plan.wallet}: profile ${plan.profileId ?? "none"}, photos ${plan.photos}`,
      );
      return;
    }
    const vectors = createVectorStore(kv, config.vectors);
    try {
      const report = await deleteAccount(
        {
          kv,
          clock: systemClock,
          objects: objects!,
          vectors,
          photoRecords: photoRecordHooks({
            kv,
            clock: systemClock,
            vectors,
            logFailure: (event, fields) => print(`${event} ${JSON.stringify(fields)}`),
          }),
          appSecret: config.appSecret,
        },
        member.wallet,
      );
      print(
        `deleted ${report.wallet}: profile ${report.profileId ?? "none"}, photos ${report.photos}`,
      );
    } finally {
      await vectors.close();
    }
  },
} satisfies TaskSpec<typeof deleteSchema>;

const grantSchema = z.object({
  positionals: z.tuple([
    memberRefSchema,
    z.string().regex(/^[0-9]+$/, "must be a whole number").transform(Number).pipe(
      z.number().int().min(1, "must be at least 1").max(
        MAX_EXTRA_INVITES,
        `must be at most ${MAX_EXTRA_INVITES}`,
      ),
    ),
  ], "give a member and a number"),
  "dry-run": z.boolean().optional(),
});

/** `invites:grant <member> <n> [--dry-run]`. */
export const grantTask = {
  name: "invites:grant",
  help: `
deno task invites:grant <profileId|wallet> <n> [--dry-run]

Gives a member n more active invite codes on top of the usual limit (grants add up, to at most
${MAX_EXTRA_INVITES} extra).`,
  options: { ...DRY_RUN_OPTION },
  schema: grantSchema,
  async run({ args, kv, print }) {
    const [ref, count] = args.positionals;
    const member = await resolveMember(kv, ref);
    if (args["dry-run"]) {
      const extra = await extraInviteAllowance(kv, member.wallet);
      print(
        `would grant ${count} more invites to ${member.wallet} (extra ${extra} → ${extra + count})`,
      );
      return;
    }
    const result = await grantExtraInvites(kv, member.wallet, count);
    print(
      `granted ${count} more invites to ${member.wallet}: extra ${result.extra}, active limit ${result.limit}`,
    );
  },
} satisfies TaskSpec<typeof grantSchema>;

if (import.meta.main) {
  await runCommand("members", {
    show: showTask,
    suspend: suspendTask,
    unsuspend: unsuspendTask,
    export: exportTask,
    delete: deleteTask,
    grant: grantTask,
  });
}
