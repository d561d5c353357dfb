/** How long to wait, as members read it in a refusal. */

/** "1 second", "45 seconds", "3 minutes", "2 hours": seconds under 90 s, minutes under 90 min. */
export function waitInWords(seconds: number): string {
  const [n, unit] = seconds < 90
    ? [Math.max(1, Math.ceil(seconds)), "second"]
    : seconds < 5400
    ? [Math.ceil(seconds / 60), "minute"]
    : [Math.ceil(seconds / 3600), "hour"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
