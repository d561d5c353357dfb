/**
 * The words members read, in one place: tab names, statuses, verification levels, counts and
 * times in words. Pages and islands use these instead of spelling internal states themselves.
 * (A ticket's words live in components/events/ticket_words.ts, to keep the event page's JS small.)
 */

/** The bottom navigation's tabs, in order. */
export const TABS = [
  { id: "vault", label: "Vault", href: "/vault" },
  { id: "matches", label: "Matches", href: "/matches" },
  { id: "events", label: "Events", href: "/events" },
  { id: "invites", label: "Invites", href: "/invites" },
  { id: "me", label: "Me", href: "/profile/edit" },
] as const;

/** What the count on the Matches tab means, for screen readers (after the number). */
export const UNREAD_WORDS = " new matches or messages";

/** One tab of {@link TABS}. */
export type TabId = (typeof TABS)[number]["id"];

/** The tab a path belongs to (a member's page belongs to the vault), or null. */
export function tabOf(pathname: string): TabId | null {
  if (pathname.startsWith("/vault") || pathname.startsWith("/members/")) return "vault";
  if (pathname.startsWith("/matches")) return "matches";
  if (pathname.startsWith("/events")) return "events";
  if (pathname.startsWith("/invites")) return "invites";
  if (pathname.startsWith("/profile") || pathname.startsWith("/leaderboard")) return "me";
  return null;
}

/** What a member without a ticket reads where the host keeps the venue for ticket holders. */
export const VENUE_FOR_HOLDERS_TEXT = "Venue revealed to ticket holders";

/** An invite's state as its owner reads it. */
export const INVITE_STATUS_TEXT: Record<string, string> = {
  active: "Waiting to be used",
  claimed: "Used",
  revoked: "Cancelled",
  expired: "Expired",
};

/** How a member proved they are human, by World ID level. */
export const VERIFICATION_TEXT: Record<string, string> = {
  orb: "Verified in person",
  secure_document: "Verified with a passport",
  document: "Verified with an ID document",
  device: "Verified on their phone",
};

/** "1 member", "3 members", "No members" — `none` replaces the zero form. */
export function countOf(n: number, one: string, many: string, none = `No ${many}`): string {
  if (n === 0) return none;
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

const UNITS: [ms: number, one: string][] = [
  [365 * 86_400_000, "year"],
  [30 * 86_400_000, "month"],
  [7 * 86_400_000, "week"],
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
];

/** A span in words, rounded down to its largest unit: "5 days", "1 hour", "less than a minute". */
export function spanInWords(ms: number): string {
  for (const [size, unit] of UNITS) {
    const n = Math.floor(Math.abs(ms) / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "less than a minute";
}

/** "2 days ago", "just now". */
export function timeAgo(then: number, now: number): string {
  if (now - then < 60_000) return "just now";
  return `${spanInWords(now - then)} ago`;
}

/** "in 5 days"; "now" once the moment has come. */
export function timeUntil(then: number, now: number): string {
  return then <= now ? "now" : `in ${spanInWords(then - now)}`;
}

// ---- Profile details: gender, who a member wants to meet, region ----

/** A member's gender as they read it in the form (never shown to other members). */
export const GENDER_TEXT: Record<string, string> = {
  woman: "Woman",
  man: "Man",
  non_binary: "Non-binary",
};

/** Who a member wants to meet, as they read the choice. */
export const INTEREST_TEXT: Record<string, string> = {
  woman: "Women",
  man: "Men",
  non_binary: "Non-binary people",
  everyone: "Everyone",
};

/** The broad regions members choose from (shown on cards beside the city). */
export const REGION_TEXT: Record<string, string> = {
  north_america: "North America",
  latin_america: "Latin America and the Caribbean",
  europe: "Europe",
  middle_east_north_africa: "Middle East and North Africa",
  sub_saharan_africa: "Sub-Saharan Africa",
  central_asia: "Central Asia",
  south_asia: "South Asia",
  east_asia: "East Asia",
  southeast_asia: "Southeast Asia",
  oceania: "Oceania",
};

/** "Lisbon, Europe", "Europe", or "" — where a member lives, as cards and member pages show it. */
export function placeOf(view: { city: string; region: string | null }): string {
  const region = view.region ? REGION_TEXT[view.region] ?? "" : "";
  return [view.city, region].filter(Boolean).join(", ");
}
