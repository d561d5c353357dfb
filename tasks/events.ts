/**
 * Admin tasks for events, on the configured KV (`KV_PATH` or `<DATA_DIR>/aurum.kv`):
 *
 *   deno task event:create --name "Midnight Salon" --starts-at 2030-01-01T20:00:00Z \
 *     --ends-at 2030-01-01T23:00:00Z --max-tickets 40 [--description …] [--image-url …]
 *     [--image-key …] [--price-token WLD --price-amount 1000000000000000000]
 *     [--venue "The Old Library, 3 Quay St"] [--venue-holders-only | --venue-public]
 *   deno task event:create --json '{"name": …}'        (or --json-file event.json)
 *   deno task event:update --id <eventId> [any of the flags above, or --json / --json-file]
 *   deno task event:cancel --id <eventId>
 *
 * Prints the event as JSON. Invalid input exits 2 naming each bad field; other refusals exit 1.
 */
import { parseArgs } from "node:util";
import type { Clock } from "@/core/clock.ts";
import { systemClock } from "@/core/clock.ts";
import { loadConfig } from "@/core/config.ts";
import { DomainError } from "@/core/errors.ts";
import { cancelEvent, createEvent, updateEvent } from "@/core/events/mod.ts";
import { openTaskKv, UsageError } from "./lib/cli.ts";

export { UsageError };

const OPTIONS = {
  id: { type: "string" },
  name: { type: "string" },
  description: { type: "string" },
  venue: { type: "string" },
  "venue-holders-only": { type: "boolean" },
  "venue-public": { type: "boolean" },
  "image-url": { type: "string" },
  "image-key": { type: "string" },
  "starts-at": { type: "string" },
  "ends-at": { type: "string" },
  "max-tickets": { type: "string" },
  "price-token": { type: "string" },
  "price-amount": { type: "string" },
  free: { type: "boolean" },
  json: { type: "string" },
  "json-file": { type: "string" },
} as const;

/** Turns a flag's date into epoch ms (ISO text stays text for the schema's own message). */
function instant(value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  return /^[0-9]+$/.test(value) ? Number(value) : value;
}

/** Builds the event input from flags or JSON (never both). */
async function readInput(values: Record<string, string | boolean | undefined>) {
  const jsonText = typeof values["json-file"] === "string"
    ? await Deno.readTextFile(values["json-file"])
    : values.json as string | undefined;
  const fieldFlags = Object.keys(values).filter((name) =>
    !["id", "json", "json-file"].includes(name)
  );
  if (jsonText !== undefined) {
    if (fieldFlags.length > 0) {
      throw new UsageError("give either --json/--json-file or field flags, not both");
    }
    try {
      return JSON.parse(jsonText) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(
        `--json is not valid JSON: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  if ((values["price-token"] === undefined) !== (values["price-amount"] === undefined)) {
    throw new UsageError("--price-token and --price-amount go together");
  }
  if (values.free && values["price-token"] !== undefined) {
    throw new UsageError("--free contradicts --price-*");
  }
  if (values["venue-holders-only"] && values["venue-public"]) {
    throw new UsageError("--venue-holders-only contradicts --venue-public");
  }
  const maxTickets = values["max-tickets"] as string | undefined;
  const input: Record<string, unknown> = {
    name: values.name,
    description: values.description,
    venue: values.venue,
    venueHoldersOnly: values["venue-holders-only"]
      ? true
      : values["venue-public"]
      ? false
      : undefined,
    imageUrl: values["image-url"],
    imageKey: values["image-key"],
    startsAt: instant(values["starts-at"] as string | undefined),
    endsAt: instant(values["ends-at"] as string | undefined),
    maxTickets: maxTickets === undefined
      ? undefined
      : /^[0-9]+$/.test(maxTickets)
      ? Number(maxTickets)
      : maxTickets,
    price: values.free
      ? null
      : values["price-token"] === undefined
      ? undefined
      : { token: values["price-token"], amount: values["price-amount"] },
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** Runs `create | update | cancel` with `args`; returns the event. */
export async function runEventTask(
  command: string,
  args: string[],
  kv: Deno.Kv,
  clock: Clock = systemClock,
) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const id = values.id as string | undefined;
  switch (command) {
    case "create":
      if (id !== undefined) throw new UsageError("create takes no --id");
      return await createEvent(kv, clock, await readInput(values) as never);
    case "update":
      if (!id) throw new UsageError("update needs --id <eventId>");
      return await updateEvent(kv, clock, id, await readInput(values) as never);
    case "cancel":
      if (!id) throw new UsageError("cancel needs --id <eventId>");
      if (Object.keys(values).length > 1) throw new UsageError("cancel takes only --id");
      return await cancelEvent(kv, clock, id);
    default:
      throw new UsageError(
        `unknown command ${JSON.stringify(command)}: use create, update or cancel`,
      );
  }
}

if (import.meta.main) {
  const [command = "", ...args] = Deno.args;
  let kv: Deno.Kv | null = null;
  try {
    const config = loadConfig(Deno.env.toObject());
    kv = await openTaskKv(config.kvPath, true);
    const event = await runEventTask(command, args, kv);
    console.log(JSON.stringify(event, null, 2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`event:${command}: ${error.message}`);
      Deno.exitCode = 2;
    } else if (error instanceof DomainError) {
      console.error(`event:${command}: ${error.message} [${error.code}]`);
      Deno.exitCode = error.code.startsWith("invalid_") ? 2 : 1;
    } else {
      console.error(`event:${command}: ${error instanceof Error ? error.message : error}`);
      Deno.exitCode = 1;
    }
  } finally {
    kv?.close();
  }
}
