import type { AppProps } from "$fresh/server.ts";
import type { AppState } from "@/server/deps.ts";
import MutualMatchNotification from "@/islands/MutualMatchNotification.tsx";

/** The HTML document around every page: meta tags for the World App webview, styles, favicon. */
export default function App({ Component, state }: AppProps) {
  const member = (state as Partial<AppState> | undefined)?.member;
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
        <link
          rel="preload"
          href="/fonts/cinzel-latin-wght-normal.woff2"
          as="font"
          type="font/woff2"
          crossorigin="anonymous"
        />
        <link rel="stylesheet" href="/styles.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <Component />
        {/* Live match banners for admitted members, on every page. */}
        {member?.membership.admitted ? <MutualMatchNotification /> : null}
      </body>
    </html>
  );
}
