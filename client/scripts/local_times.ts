/**
 * The event pages' time localiser (see components/events/EventTime.tsx): a classic script, built
 * minified on its own as `local_times.js` (fresh/build.ts: `client/scripts/`). It stores the
 * browser's time zone in the `tz` cookie and rewrites each `<time data-zone>` in another zone with
 * the options and wording of components/events/format.ts.
 */
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!/^[\w+\-/]{1,64}$/.test(zone ?? "")) return;
  if (!document.cookie.split("; ").includes("tz=" + zone)) {
    document.cookie = `tz=${zone}; path=/; max-age=31536000; samesite=lax`;
  }
  const format = new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
    timeZone: zone,
  });
  for (const time of document.querySelectorAll<HTMLTimeElement>("time[data-zone]")) {
    if (time.dataset.zone === zone) continue;
    const p: Record<string, string> = {};
    for (const { type, value } of format.formatToParts(Date.parse(time.dateTime))) p[type] = value;
    time.textContent =
      `${p.weekday} ${p.day} ${p.month} ${p.year} · ${p.hour}:${p.minute} ${p.timeZoneName}`;
    time.dataset.zone = zone;
  }
})();
