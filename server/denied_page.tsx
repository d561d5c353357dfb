/**
 * Themed pages for page requests that end in a client error: refused by the access policy (401,
 * 403), or any other 4xx a page handler throws (the domain error's message, never internals).
 */
import { renderToString } from "preact-render-to-string";
import App from "@/routes/_app.tsx";
import { Shell } from "@/components/Shell.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { GoldenGlow } from "@/components/GoldenGlowEffects.tsx";
import type { AppProps } from "$fresh/server.ts";

function Denied({ status, next }: { status: 401 | 403; next: string }) {
  const signIn = status === 401;
  return (
    <Shell mainClass="shell__main--center">
      <section
        class="error-page"
        aria-labelledby="error-title"
        data-testid={signIn ? "members-only" : "not-admitted"}
      >
        <GoldenGlow>
          <AnimatedSigil size="lg" animated={false} />
        </GoldenGlow>
        <p class="eyebrow">{signIn ? "Members only" : "Not yet admitted"}</p>
        <h1 id="error-title" class="display error-page__title">
          {signIn ? "Speak the word" : "The vault is sealed"}
        </h1>
        <p class="error-page__text">
          {signIn
            ? "This part of the circle opens to signed-in members."
            : "You are signed in, but not yet admitted. Bring the gate NFT or a member's invite."}
        </p>
        <ButtonLink
          href={signIn ? `/signin?next=${encodeURIComponent(next)}` : "/gate"}
          data-testid="denied-action"
        >
          {signIn ? "Sign in" : "Go to the gate"}
        </ButtonLink>
      </section>
    </Shell>
  );
}

/** Renders the page (no islands, so no script) with its status. */
export function renderDeniedPage(status: 401 | 403, url: URL, _nonce: string, method: string) {
  const next = url.pathname + url.search;
  const props = { Component: () => <Denied status={status} next={next} /> } as unknown as AppProps;
  const html = "<!DOCTYPE html>" + renderToString(<App {...props} />);
  return new Response(method === "HEAD" ? null : html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

function Problem({ status, message }: { status: number; message: string }) {
  return (
    <Shell mainClass="shell__main--center">
      <section class="error-page" aria-labelledby="error-title" data-testid="client-error">
        <GoldenGlow>
          <AnimatedSigil size="lg" animated={false} />
        </GoldenGlow>
        <p class="eyebrow">Error {status}</p>
        <h1 id="error-title" class="display error-page__title">That did not go through</h1>
        <p class="error-page__text">{message}</p>
        <ButtonLink href="/vault" data-testid="error-home">Back to the vault</ButtonLink>
      </section>
    </Shell>
  );
}

/** Renders a themed page for a 4xx with the (user-facing) message of the domain error. */
export function renderClientErrorPage(status: number, message: string, method: string) {
  const props = {
    Component: () => <Problem status={status} message={message} />,
  } as unknown as AppProps;
  const html = "<!DOCTYPE html>" + renderToString(<App {...props} />);
  return new Response(method === "HEAD" ? null : html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
