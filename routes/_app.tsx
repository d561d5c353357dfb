import { defineApp } from "$fresh/server.ts";
import type { AppState } from "@/server/deps.ts";
import type { PageStylesheet } from "@/server/http/stylesheet.ts";
import MutualMatchNotification from "@/islands/MutualMatchNotification.tsx";
import { type MemberNav, MemberNavContext } from "@/components/TabBar.tsx";
import { SignedInMemberContext } from "@/components/auth/SignedInMember.ts";
import { tabOf } from "@/components/glossary.ts";
import { countUnseenMatches, unreadCounts } from "@/core/social/mod.ts";

/** Pages that keep their own chrome: the way in, and the profile a new member composes first. */
const OWN_CHROME = ["/signin", "/gate", "/onboarding", "/profile/details"];

/** The navigation of an admitted member on `url` (null for everyone else and the pages above). */
async function memberNav(state: Partial<AppState>, url: URL): Promise<MemberNav | null> {
  const member = state.member;
  if (!member?.membership.admitted || !state.deps) return null;
  if (OWN_CHROME.some((path) => url.pathname.startsWith(path))) return null;
  // The count is a courtesy: a page renders without it rather than fail.
  const [unseenMatches, unreadMessages] = await Promise.all([
    countUnseenMatches(state.deps.kv, member.wallet).catch(() => 0),
    unreadCounts(state.deps.kv, member.wallet).then((counts) => counts.total, () => 0),
  ]);
  return { current: tabOf(url.pathname), unseenMatches, unreadMessages };
}

/** The stylesheet inlined under the CSP nonce (first visit) or linked (cached); `/styles.css` without the app's middleware. */
function PageStyles(
  { stylesheet, nonce }: { stylesheet?: PageStylesheet; nonce?: string },
) {
  if (stylesheet?.inline && nonce) {
    // Our own static/styles.css, never member input; as a text child it would be HTML-escaped.
    // deno-lint-ignore react-no-danger
    return <style nonce={nonce} dangerouslySetInnerHTML={{ __html: stylesheet.inline }} />;
  }
  return <link rel="stylesheet" href={stylesheet?.href ?? "/styles.css"} />;
}

/** The HTML document around every page: meta tags for the World App webview, styles, favicon. */
export default defineApp<Partial<AppState>>(async (_req, ctx) => {
  const { Component, state } = ctx;
  const nav = await memberNav(state, ctx.url);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta
          name="viewport"
          content="width=device-width, initial-scale=1, viewport-fit=cover"
        />
        <meta name="theme-color" content="#0c0a07" />
        <meta name="color-scheme" content="dark" />
        <meta
          name="description"
          content="Aurum Circle: an invite-only society of verified humans. Secret signals, private gatherings."
        />
        <title>Aurum Circle</title>
        {
          /* Not beside an inlined stylesheet: the font (font-display: swap) would share the slow
            link with the rest of the HTML that first paint waits for. */
        }
        {state.stylesheet?.inline ? null : (
          <link
            rel="preload"
            href="/fonts/cinzel-latin-wght-normal.woff2"
            as="font"
            type="font/woff2"
            crossorigin="anonymous"
          />
        )}
        <PageStyles stylesheet={state.stylesheet} nonce={state.nonce} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <SignedInMemberContext.Provider value={state.member ?? null}>
          <MemberNavContext.Provider value={nav}>
            <Component />
          </MemberNavContext.Provider>
        </SignedInMemberContext.Provider>
        {/* Live match banners for admitted members, on every page. */}
        {state.member?.membership.admitted ? <MutualMatchNotification /> : null}
        {/* After an inlined stylesheet, fetch its cacheable copy for the next pages, when idle. */}
        {state.stylesheet?.inline
          ? <link rel="prefetch" href={state.stylesheet.href} as="style" />
          : null}
      </body>
    </html>
  );
});
