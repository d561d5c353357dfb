import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { formatInviteCode, normalizeInviteCode } from "@/core/social/mod.ts";
import type { AppState } from "@/server/deps.ts";
import RedeemInvite from "@/islands/RedeemInvite.tsx";

interface LandingData {
  code: string | null;
  step: "sign_in" | "verify" | "redeem" | "member";
}

export const handler: Handlers<LandingData, AppState> = {
  GET(_req, ctx) {
    let code: string | null = null;
    try {
      code = formatInviteCode(normalizeInviteCode(ctx.params.code));
    } catch { /* shown as an unreadable code */ }
    const member = ctx.state.member;
    const step = !member
      ? "sign_in"
      : member.membership.admitted
      ? "member"
      : !member.worldId
      ? "verify"
      : "redeem";
    return ctx.render({ code, step });
  },
};

/** The invite landing (public): what an invite is, then sign in, verify and redeem. */
export default function InviteLanding({ data, url }: PageProps<LandingData>) {
  const { code, step } = data;
  return (
    <Shell>
      <Head>
        <title>An invitation · Aurum Circle</title>
      </Head>
      <section class="auth" aria-labelledby="invite-title" data-testid="invite-landing">
        <p class="eyebrow">You were invited</p>
        <h1 id="invite-title" class="display">A member vouches for you</h1>
        {code
          ? (
            <p>
              Invite <code data-testid="invite-code">{code}</code>{" "}
              admits one verified human to Aurum Circle. Sign in, prove you are a unique human with
              World ID, then use the invite to enter the vault.
            </p>
          )
          : <p>This invite code cannot be read. Ask the member who sent it for a new link.</p>}
        {code && step === "sign_in"
          ? (
            <ButtonLink href={`/signin?next=${encodeURIComponent(url.pathname)}`}>
              Sign in
            </ButtonLink>
          )
          : null}
        {code && step === "verify"
          ? (
            <ButtonLink href={`/signin?next=${encodeURIComponent(url.pathname)}`}>
              Prove you are human first
            </ButtonLink>
          )
          : null}
        {code && step === "redeem" ? <RedeemInvite code={code} /> : null}
        {step === "member"
          ? <ButtonLink href="/vault">You are already a member: open the vault</ButtonLink>
          : null}
      </section>
    </Shell>
  );
}
