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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "1 Jan 2030 · 19:00 UTC" (UTC, so the server's and the browser's text agree). */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} · ${hh}:${mm} UTC`;
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
