import type { PageProps } from "$fresh/server.ts";
import { Shell } from "@/components/Shell.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { GoldenGlow } from "@/components/GoldenGlowEffects.tsx";
import { ButtonLink } from "@/components/Button.tsx";

/** The themed "not found" page. */
export default function NotFound(_props: PageProps) {
  return (
    <Shell mainClass="shell__main--center">
      <section class="error-page" aria-labelledby="error-title" data-testid="not-found">
        <GoldenGlow>
          <AnimatedSigil size="lg" animated={false} />
        </GoldenGlow>
        <p class="eyebrow">Error 404</p>
        <h1 id="error-title" class="display error-page__title">This passage is sealed</h1>
        <p class="error-page__text">
          The page you sought does not exist, or it was never meant to be found.
        </p>
        <ButtonLink href="/" data-testid="error-home">Back to the entrance</ButtonLink>
      </section>
    </Shell>
  );
}
