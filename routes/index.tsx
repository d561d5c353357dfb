import { Shell } from "@/components/Shell.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { ParticleBackground } from "@/components/ParticleBackground.tsx";
import { GoldenGlow, GoldRule } from "@/components/GoldenGlowEffects.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import OathReveal from "@/islands/OathReveal.tsx";
import type { PageProps } from "$fresh/server.ts";

interface Rite {
  numeral: string;
  title: string;
  text: string;
}

const RITES: Rite[] = [
  {
    numeral: "I",
    title: "Proof of personhood",
    text:
      "Every member is a unique human, verified with World ID. No bots, no second accounts, no one pretending.",
  },
  {
    numeral: "II",
    title: "The vault",
    text:
      "Its door opens for holders of the circle's seal, a collectible kept in your World App wallet, or for someone a member vouches for with an invite.",
  },
  {
    numeral: "III",
    title: "Secret signals",
    text:
      "Signal a member in silence. Nobody knows until they signal you back: a mutual match unlocks both profiles, and then you can talk.",
  },
  {
    numeral: "IV",
    title: "Gatherings",
    text:
      "The council hosts private gatherings for members. Claim or buy a seat, show its code at the door, and keep the ticket as a collectible in your wallet.",
  },
  {
    numeral: "V",
    title: "The golden measure",
    text:
      "An opt-in AI photo score, with its breakdown, percentile and history. Private unless you choose to show it.",
  },
];

const OATH = [
  "We are verified, and we are few.",
  "What is signalled in silence stays in silence.",
  "A door opens only when two hands reach for it.",
  "I bring only those I would vouch for.",
];

/** The landing page: what the circle is, the oath, and the way in. */
export default function Landing({ url }: PageProps) {
  const goodbye = url.searchParams.has("goodbye");
  return (
    <Shell>
      <section class="hero" aria-labelledby="hero-title">
        {goodbye
          ? (
            <p class="safety__notice" role="status" data-testid="goodbye">
              Your account is deleted and you are signed out. Goodbye, and thank you for being part
              of the circle.
            </p>
          )
          : null}
        <ParticleBackground />
        <GoldenGlow variant="beam" class="hero__emblem">
          <AnimatedSigil size="xl" />
        </GoldenGlow>
        <p class="eyebrow">By invitation only</p>
        <h1 id="hero-title" class="display hero__title" data-testid="hero-title">
          Aurum Circle
        </h1>
        <p class="hero__lede">
          A private society of verified humans. Meet the few who choose you back.
        </p>
        <div class="hero__actions">
          <ButtonLink href="/signin" block data-testid="cta-signin">Enter the Circle</ButtonLink>
          <p class="hero__note">Sign in with World ID. Members only beyond this door.</p>
        </div>
      </section>

      <GoldRule />

      <section class="section" aria-labelledby="rites-title">
        <p class="eyebrow">How the circle works</p>
        <h2 id="rites-title" class="display section__title">The five rites</h2>
        <ol class="rites">
          {RITES.map((rite) => (
            <li key={rite.numeral} class="rite">
              <span class="rite__numeral" aria-hidden="true">{rite.numeral}</span>
              <div>
                <h3 class="rite__title">{rite.title}</h3>
                <p class="rite__text">{rite.text}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>

      <GoldRule />

      <section class="section section--center" aria-labelledby="oath-title">
        <p class="eyebrow">Before you enter</p>
        <h2 id="oath-title" class="display section__title">The oath</h2>
        <OathReveal lines={OATH} />
      </section>

      <section class="section section--center finale" aria-labelledby="finale-title">
        <h2 id="finale-title" class="display section__title">The door is ajar</h2>
        <p class="finale__text">Prove you are human. Bring a seal or a member's word.</p>
        <ButtonLink href="/signin" variant="ghost" block data-testid="cta-signin-bottom">
          Sign in
        </ButtonLink>
      </section>
    </Shell>
  );
}
