import type { ErrorPageProps } from "$fresh/server.ts";
import { Shell } from "@/components/Shell.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { GoldenGlow } from "@/components/GoldenGlowEffects.tsx";
import { ButtonLink } from "@/components/Button.tsx";

/** The themed server-error page: a friendly message and, when known, the request id; never error details. */
export default function ServerError({ state }: ErrorPageProps) {
  const requestId = typeof state?.requestId === "string" ? state.requestId : null;
  return (
    <Shell mainClass="shell__main--center">
      <section class="error-page" aria-labelledby="error-title" data-testid="server-error">
        <GoldenGlow>
          <AnimatedSigil size="lg" animated={false} />
        </GoldenGlow>
        <p class="eyebrow">Error 500</p>
        <h1 id="error-title" class="display error-page__title">The ritual faltered</h1>
        <p class="error-page__text">
          Something went wrong on our side. Nothing you did caused it. Please try again in a moment.
        </p>
        {requestId
          ? (
            <p class="error-page__ref">
              Reference <code data-testid="request-id">{requestId}</code>
            </p>
          )
          : null}
        <ButtonLink href="/" data-testid="error-home">Back to the entrance</ButtonLink>
      </section>
    </Shell>
  );
}
