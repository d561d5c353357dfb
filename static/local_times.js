// See components/events/EventTime.tsx. Kept short: it counts against each page's JS budget.
(() => {
  const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!/^[\w+\-/]{1,64}$/.test(z ?? "")) return;
  if (!document.cookie.split("; ").includes("tz=" + z)) {
    document.cookie = `tz=${z}; path=/; max-age=31536000; samesite=lax`;
  }
  const f = new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
    timeZone: z,
  });
  for (const t of document.querySelectorAll("time[data-zone]")) {
    if (t.dataset.zone === z) continue;
    const p = {};
    for (const { type, value } of f.formatToParts(Date.parse(t.dateTime))) p[type] = value;
    t.textContent =
      `${p.weekday} ${p.day} ${p.month} ${p.year} · ${p.hour}:${p.minute} ${p.timeZoneName}`;
    t.dataset.zone = z;
  }
})();
