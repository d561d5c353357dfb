import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { GoldenGlow } from "@/components/GoldenGlowEffects.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { HeaderStatus } from "@/components/auth/HeaderStatus.tsx";
import { miniAppUrl, signInSettings } from "@/components/auth/settings.ts";
import type { Persona, SignInSettings } from "@/components/auth/types.ts";
import { DEV_PERSONAS } from "@/core/auth/mod.ts";
import type { AppState } from "@/server/deps.ts";
import { safeNext } from "@/components/auth/next.ts";
import { destinationOf } from "@/client/sign_in.ts";
import ConnectWalletButton from "@/islands/ConnectWalletButton.tsx";
import WorldIDButton from "@/islands/WorldIDButton.tsx";
import DevSignIn from "@/islands/DevSignIn.tsx";

/** What the page renders with: the public settings and, with dev sign-in, the personas. */
interface SignInData extends SignInSettings {
  personas: Persona[];
  /** Where to go once signed in (`?next=`, a same-site path), or null for the default. */
  next: string | null;
}

export const handler: Handlers<SignInData, AppState> = {
  GET(_req, ctx) {
    const next = safeNext(ctx.url.searchParams.get("next"));
    const member = ctx.state.member;
    // Already through both steps: straight on, to `next` or the member's default.
    if (member?.worldId) {
      return new Response(null, {
        status: 303,
        headers: { location: destinationOf(member.membership, next) },
      });
    }
    const settings = signInSettings(ctx.state.deps.config);
    const personas = settings.devSignIn
      ? DEV_PERSONAS.map(({ id, label, description }) => ({ id, label, description }))
      : [];
    return ctx.render({ ...settings, personas, next });
  },
};

/** Sign in: connect the wallet, prove personhood with World ID, then the vault (or the gate). */
export default function SignIn({ data }: PageProps<SignInData>) {
  const { appId, action, devSignIn, personas, next } = data;
  return (
    <Shell headerActions={<HeaderStatus />}>
      <Head>
        <title>Sign in · Aurum Circle</title>
      </Head>
      <section class="auth" aria-labelledby="signin-title">
        <GoldenGlow class="auth__emblem">
          <AnimatedSigil size="lg" />
        </GoldenGlow>
        <p class="eyebrow">Three rites at the door</p>
        <h1 id="signin-title" class="display auth__title" data-testid="signin-title">
          Enter the Circle
        </h1>
        <ol class="auth-steps">
          <li class="auth-step" data-testid="step-wallet">
            <span class="auth-step__numeral" aria-hidden="true">I</span>
            <div class="auth-step__body">
              <h2 class="auth-step__title">Connect your wallet</h2>
              <p class="auth-step__text">
                Sign a message with your World App wallet. No transaction, no fee.
              </p>
              <ConnectWalletButton
                appId={appId}
                next={next}
                outside={devSignIn
                  ? (
                    <p class="auth-note" data-testid="outside-world-app">
                      Wallet sign-in happens in World App. Here, choose a development persona below.
                    </p>
                  )
                  : (
                    <div class="auth-note" data-testid="outside-world-app">
                      <p>
                        Wallet sign-in happens inside World App, where your wallet lives. Open Aurum
                        Circle there: World App → Mini Apps, or follow this link on your phone.
                      </p>
                      <ButtonLink href={miniAppUrl(appId)} block data-testid="open-in-world-app">
                        Open in World App
                      </ButtonLink>
                    </div>
                  )}
              />
            </div>
          </li>
          <li class="auth-step" data-testid="step-worldid">
            <span class="auth-step__numeral" aria-hidden="true">II</span>
            <div class="auth-step__body">
              <h2 class="auth-step__title">Prove you are human</h2>
              <p class="auth-step__text">
                World ID confirms you are one unique person, without revealing who you are.
              </p>
              <WorldIDButton
                appId={appId}
                next={next}
                action={action}
                outside={
                  <p class="auth-note" data-testid="worldid-outside">
                    World ID proofs are made in World App.
                    {devSignIn ? " Some development personas arrive already verified." : null}
                  </p>
                }
              />
            </div>
          </li>
          <li class="auth-step" data-testid="step-vault">
            <span class="auth-step__numeral" aria-hidden="true">III</span>
            <div class="auth-step__body">
              <h2 class="auth-step__title">Enter the vault</h2>
              <p class="auth-step__text">
                The door opens for holders of the gate NFT, or for someone a member vouches for with
                an invite.
              </p>
            </div>
          </li>
        </ol>
        {devSignIn
          ? (
            <section class="auth-dev" aria-labelledby="dev-title" data-testid="dev-section">
              <h2 id="dev-title" class="auth-dev__title">Development sign-in</h2>
              <p class="auth-step__text">
                Outside World App, enter as a test persona. This door does not exist in production.
              </p>
              <DevSignIn personas={personas} next={next} />
            </section>
          )
          : null}
      </section>
    </Shell>
  );
}
