/** Structured JSON logs, one object per line. */

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger; `fields` are merged into the JSON line. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const encoder = new TextEncoder();

/**
 * Writes JSON lines to stdout (info and below) or stderr (warn and error). Direct synchronous
 * writes: a line per request through `console.log` cost ~5× more (it formats its arguments).
 */
export function createJsonLogger(minLevel: LogLevel = "info"): Logger {
  return {
    log(level, msg, fields) {
      if (RANK[level] < RANK[minLevel]) return;
      // The fixed keys first, then the fields' own JSON object spliced in (no merged copy).
      const rest = fields ? JSON.stringify(fields) : "{}";
      const line = `{"ts":"${new Date().toISOString()}","level":"${level}","msg":${
        JSON.stringify(msg)
      }${rest.length > 2 ? "," + rest.slice(1) : "}"}\n`;
      const stream = RANK[level] >= RANK.warn ? Deno.stderr : Deno.stdout;
      const bytes = encoder.encode(line);
      for (let written = 0; written < bytes.length;) {
        written += stream.writeSync(bytes.subarray(written));
      }
    },
  };
}

/** Keeps entries in memory; for tests that assert on logs. */
export function createMemoryLogger(): Logger & { entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  return { entries, log: (level, msg, fields) => entries.push({ level, msg, ...fields }) };
}

/** A short description of an error for logs: name, message and stack. Never sent to clients. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: { name: error.name, message: error.message, stack: error.stack } };
  }
  return { error: { message: String(error) } };
}
