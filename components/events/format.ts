/** Formatting for events and tickets, shared by the server pages and the islands. */

/** Decimals of each payment token (MiniKit `pay` symbols). */
const DECIMALS: Record<string, number> = { WLD: 18, USDCE: 6 };

/** A price for people: "2.5 WLD", "Free". */
export function formatPrice(price: { token: string; amount: string } | null): string {
  if (!price) return "Free";
  const decimals = DECIMALS[price.token] ?? 18;
  const units = BigInt(price.amount);
  const scale = 10n ** BigInt(decimals);
  const whole = units / scale;
  const fraction = (units % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  const symbol = price.token === "USDCE" ? "USDC" : price.token;
  return `${whole}${fraction ? "." + fraction.slice(0, 6) : ""} ${symbol}`;
}

/**
 * The options of {@link formatDateIn}; `client/scripts/local_times.ts` repeats them (and the
 * joining below) so that a time it rewrites in the browser reads exactly as the server would.
 */
const ZONED: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
};

const zoned = new Map<string, Intl.DateTimeFormat>();

/** "Tue 1 Jan 2030 · 20:00 CET": a moment in time zone `zone` (an IANA name, e.g. "Europe/Paris"). */
export function formatDateIn(epochMs: number, zone: string): string {
  let format = zoned.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { ...ZONED, timeZone: zone });
    if (zoned.size < 500) zoned.set(zone, format);
  }
  const p: Record<string, string> = {};
  for (const part of format.formatToParts(epochMs)) p[part.type] = part.value;
  return `${p.weekday} ${p.day} ${p.month} ${p.year} · ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "2d 03h 04m 05s" until a moment (zero and below: "now"). */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return "now";
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  const pad = (n: number) => String(n).padStart(2, "0");
  const rest = `${pad(Math.floor((s % 86400) / 3600))}h ${pad(Math.floor((s % 3600) / 60))}m ${
    pad(s % 60)
  }s`;
  return days > 0 ? `${days}d ${rest}` : rest;
}
