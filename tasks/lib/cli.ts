/**
 * The frame every admin task runs in: `--help`, argument parsing checked with zod, the configured
 * KV (`KV_PATH`: a file, `:memory:` or a KV Connect URL with `DENO_KV_ACCESS_TOKEN`) and object
 * store, and one way to fail. Bad input — unknown flags, arguments the schema refuses, a member or
 * report that does not exist, a bad configuration — prints one line on stderr and exits 2 before
 * anything changes; other refusals exit 1.
 */
import { dirname } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { type AppConfig, ConfigError, loadConfig } from "@/core/config.ts";
import { BadRequestError, DomainError, NotFoundError } from "@/core/errors.ts";
import { createObjectStore, type ObjectStore } from "@/core/storage/mod.ts";

/** Thrown for unusable command lines; the message says what to fix (exit 2). */
export class UsageError extends Error {}

/** Flag definitions in `node:util` `parseArgs` form. */
export type TaskOptions = NonNullable<ParseArgsConfig["options"]>;

/** The `--dry-run` flag, for tasks that change data. */
export const DRY_RUN_OPTION = { "dry-run": { type: "boolean" } } as const satisfies TaskOptions;

/** What a task's `run` receives. */
export interface TaskContext<A> {
  args: A;
  config: AppConfig;
  kv: Deno.Kv;
  /** The configured object store (only when the task asked for it). */
  objects: ObjectStore | null;
  /** Prints a line on stdout. */
  print(line: string): void;
}

/** A task's description. */
export interface TaskSpec<S extends z.ZodType> {
  /** As in `deno task <name>`. */
  name: string;
  /** The full `--help` text. */
  help: string;
  options: TaskOptions;
  /** Checks `{ positionals, ...flags }` and turns them into the task's arguments. */
  schema: S;
  /** `create`: make the KV file (and its folder) when missing; otherwise a missing file is refused. */
  kv?: "existing" | "create";
  /** Open the object store too. */
  objects?: boolean;
  /** Checks of the raw environment made before anything else (throw UsageError to refuse). */
  guard?(env: Record<string, string | undefined>, args: z.output<S>): void;
  run(context: TaskContext<z.output<S>>): Promise<void>;
}

/** True for a KV Connect URL (`https://…`), which `Deno.openKv` opens remotely. */
export function isKvUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/**
 * Opens the KV named by `path`; a file must exist unless `create` (then its folder is made).
 * Undefined (Deno Deploy without `KV_PATH`) opens the managed store.
 */
export async function openTaskKv(path: string | undefined, create: boolean): Promise<Deno.Kv> {
  if (path === undefined) return await Deno.openKv();
  if (path !== ":memory:" && !isKvUrl(path)) {
    if (create) {
      await Deno.mkdir(dirname(path), { recursive: true });
    } else {
      try {
        await Deno.stat(path);
      } catch {
        throw new UsageError(`no KV store at ${path} (set KV_PATH or DATA_DIR)`);
      }
    }
  }
  return await Deno.openKv(path);
}

/** The first zod issue as `name: message` (the path named as a flag or a positional). */
export function describeIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  const [head, ...rest] = issue.path.map(String);
  const where = head === undefined
    ? "arguments"
    : head === "positionals"
    ? "argument" + (rest.length ? ` ${Number(rest[0]) + 1}` : "s")
    : `--${head}`;
  return `${where}: ${issue.message}`;
}

/** Parses `argv` against the spec: the validated arguments, or "help". */
export function parseTaskArgs<S extends z.ZodType>(
  spec: Pick<TaskSpec<S>, "options" | "schema">,
  argv: string[],
): z.output<S> | "help" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec.options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const result = spec.schema.safeParse({ ...parsed.values, positionals: parsed.positionals });
  if (!result.success) throw new UsageError(describeIssue(result.error));
  return result.data;
}

/** Exit code for a failure: 2 for bad input (usage, configuration, invalid or unknown ids), else 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return 2;
  if (error instanceof BadRequestError || error instanceof NotFoundError) return 2;
  return 1;
}

/** Runs a task with `argv` and `env`; returns the exit code. */
export async function runTask<S extends z.ZodType>(
  spec: TaskSpec<S>,
  argv: string[] = Deno.args,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<number> {
  let kv: Deno.Kv | null = null;
  let objects: ObjectStore | null = null;
  try {
    const args = parseTaskArgs(spec, argv);
    if (args === "help") {
      console.log(spec.help.trim());
      return 0;
    }
    spec.guard?.(env, args);
    const config = loadConfig(env);
    kv = await openTaskKv(config.kvPath, spec.kv === "create");
    if (spec.objects) objects = createObjectStore(config.storage);
    await spec.run({ args, config, kv, objects, print: (line) => console.log(line) });
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof DomainError ? ` [${error.code}]` : "";
    console.error(`${spec.name}: ${message.replace(/\s*\n\s*/g, " ")}${code}`);
    return exitCodeFor(error);
  } finally {
    kv?.close();
    await objects?.close();
  }
}

/**
 * Runs the sub-command named by the first argument (`deno task member:show` is
 * `tasks/members.ts show`) and sets the process exit code; an unknown one exits 2.
 */
export async function runCommand(
  group: string,
  // deno-lint-ignore no-explicit-any
  specs: Record<string, TaskSpec<any>>,
  argv: string[] = Deno.args,
): Promise<void> {
  const [command = "", ...rest] = argv;
  const spec = specs[command];
  if (!spec) {
    console.error(
      `${group}: unknown command ${JSON.stringify(command)} (${Object.keys(specs).join(", ")})`,
    );
    Deno.exitCode = 2;
    return;
  }
  Deno.exitCode = await runTask(spec, rest);
}

/** A wallet (any case) or a profile id: how admins name a member on the command line. */
export const memberRefSchema = z.string().regex(
  /^(0x[0-9a-fA-F]{40}|[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26})$/,
  "must be a wallet address (0x + 40 hex digits) or a profile id (26-character ULID)",
);
