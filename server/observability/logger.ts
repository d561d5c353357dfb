/** Structured JSON logs, one object per line. */

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger; `fields` are merged into the JSON line. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  /** False when `level` is below the logger's minimum: callers may skip building the fields. */
  enabled?(level: LogLevel): boolean;
}

const encoder = new TextEncoder();

function writeAll(stream: typeof Deno.stdout, text: string): void {
  const bytes = encoder.encode(text);
  for (let written = 0; written < bytes.length;) {
    written += stream.writeSync(bytes.subarray(written));
  }
}

// Lines for stdout wait here until the current burst of work is done (a zero-delay timer), or a
// few KiB have gathered: one write for many requests under load instead of one each.
const FLUSH_BYTES = 16 * 1024;
let pending = "";
let timer = 0; // a timer id, 0 when none is pending

function flushStdout(): void {
  if (timer) clearTimeout(timer);
  timer = 0;
  if (pending === "") return;
  const text = pending;
  pending = "";
  writeAll(Deno.stdout, text);
}

// An unref'd timer does not keep the process alive; what is left is written at exit.
globalThis.addEventListener("unload", flushStdout);

function queueStdout(line: string): void {
  pending += line;
  if (pending.length >= FLUSH_BYTES) flushStdout();
  else if (!timer) {
    timer = setTimeout(flushStdout, 0) as unknown as number;
    Deno.unrefTimer(timer);
  }
}

/**
 * Writes JSON lines to stdout (info and below) or stderr (warn and error). Direct writes, not
 * `console.log` (a line per request through it cost ~5× more: it formats its arguments); stdout
 * lines are gathered and written together at the end of a burst, stderr lines at once (after
 * the stdout lines before them).
 */
export function createJsonLogger(minLevel: LogLevel = "info"): Logger {
  const min = RANK[minLevel];
  return {
    enabled: (level) => RANK[level] >= min,
    log(level, msg, fields) {
      if (RANK[level] < min) return;
      // The fixed keys first, then the fields' own JSON object spliced in (no merged copy).
      const rest = fields ? JSON.stringify(fields) : "{}";
      const line = `{"ts":"${new Date().toISOString()}","level":"${level}","msg":${
        JSON.stringify(msg)
      }${rest.length > 2 ? "," + rest.slice(1) : "}"}\n`;
      if (RANK[level] >= RANK.warn) {
        flushStdout();
        writeAll(Deno.stderr, line);
      } else queueStdout(line);
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
