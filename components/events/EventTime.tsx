import { bundledScript } from "$fresh/runtime.ts";
import { formatDateIn } from "./format.ts";

/** Props of {@link EventTime}. */
export interface EventTimeProps {
  /** The moment, epoch ms. */
  at: number;
  /** The reader's time zone (from the `tz` cookie; "UTC" until the browser has told it). */
  zone: string;
  class?: string;
}

/**
 * A moment in the reader's time zone, with UTC on hover. The server cannot know the zone, so the
 * browser tells it once: `client/scripts/local_times.ts` (bundled as `local_times.js`) stores it
 * in the `tz` cookie (a year), which the server reads (server/http/time_zone_cookie.ts) to write
 * every later page in that zone, with no flash and no script work. On a first visit the page comes
 * in UTC and the same script rewrites each `<time data-zone>` whose zone is not the browser's,
 * with the options and wording of components/events/format.ts (a browser test checks both agree).
 * It also catches a changed zone (travel) on the next page shown.
 */
export function EventTime({ at, zone, class: className }: EventTimeProps) {
  return (
    <time
      class={className}
      dateTime={new Date(at).toISOString()}
      title={formatDateIn(at, "UTC")}
      data-zone={zone}
    >
      {formatDateIn(at, zone)}
    </time>
  );
}

/** The script that localises the page's {@link EventTime}s; once per page that shows them. */
export function LocalTimesScript() {
  const src = bundledScript("local_times");
  return src ? <script src={src} defer /> : null;
}
