import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { GoldenGlow, GoldRule } from "@/components/GoldenGlowEffects.tsx";
import { HeaderStatus } from "@/components/auth/HeaderStatus.tsx";
import GateCheck from "@/islands/GateCheck.tsx";

/** For members who are signed in but not admitted: the two ways through the gate. */
export default function Gate() {
  return (
    <Shell headerActions={<HeaderStatus />}>
      <Head>
        <title>The gate · Aurum Circle</title>
      </Head>
      <section class="auth" aria-labelledby="gate-title" data-testid="gate">
        <GoldenGlow class="auth__emblem">
          <AnimatedSigil size="lg" />
        </GoldenGlow>
        <p class="eyebrow">You stand at the gate</p>
        <h1 id="gate-title" class="display auth__title">The vault is sealed</h1>
        <p class="auth__lede">
          You are known to the circle, but the vault opens only for members with a seal or a
          member's word. Two ways lead through.
        </p>
        <ol class="auth-steps">
          <li class="auth-step">
            <span class="auth-step__numeral" aria-hidden="true">I</span>
            <div class="auth-step__body">
              <h2 class="auth-step__title">Hold the circle's seal</h2>
              <p class="auth-step__text">
                The seal is a collectible the circle gives its founding members. Keep one in the
                wallet you signed in with, then check again. If it leaves your wallet, the door
                closes behind it.
              </p>
              <GateCheck />
            </div>
          </li>
          <li class="auth-step">
            <span class="auth-step__numeral" aria-hidden="true">II</span>
            <div class="auth-step__body">
              <h2 class="auth-step__title">Be vouched for</h2>
              <p class="auth-step__text">
                A member can vouch for you with an invite. Open the invite link they send you while
                signed in, and the door opens.
              </p>
            </div>
          </li>
        </ol>
        <GoldRule />
        <p class="auth__fine">
          Both ways need a verified human: if you have not proved it yet, return to{" "}
          <a href="/signin">the sign-in rites</a>.
        </p>
      </section>
    </Shell>
  );
}
