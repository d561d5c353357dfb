import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { QRCodeGenerator } from "@/components/QRCodeGenerator.tsx";
import { listInvites, MAX_ACTIVE_INVITES } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { inviteLink } from "@/server/social/invites.ts";
import InviteDashboard, { type DashboardInvite } from "@/islands/InviteDashboard.tsx";

export const handler: Handlers<DashboardInvite[], SignedInState> = {
  async GET(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const invites = await listInvites(kv, ctx.state.member.wallet, clock);
    return ctx.render(invites.map(({ code, status, expiresAt }) => ({
      code,
      status,
      expiresAt,
      link: inviteLink(config, code),
    })));
  },
};

/** The invite dashboard: codes with status, generate/revoke/copy, a QR for each active code. */
export default function Invites({ data }: PageProps<DashboardInvite[]>) {
  const active = data.filter((invite) => invite.status === "active");
  return (
    <Shell>
      <Head>
        <title>Invites · Aurum Circle</title>
      </Head>
      <section class="stack" aria-labelledby="invites-title">
        <p class="eyebrow">A member's word</p>
        <h1 id="invites-title" class="display">Invite someone</h1>
        <p>
          Each code admits one verified human and expires after 30 days. Scanning the QR opens the
          Aurum Circle in World App with the code filled in.
        </p>
        <InviteDashboard invites={data} maxActive={MAX_ACTIVE_INVITES} />
        <div class="invites__qrs">
          {active.map((invite) => (
            <QRCodeGenerator
              key={invite.code}
              value={invite.link}
              label={`QR code for invite ${invite.code}`}
            />
          ))}
        </div>
      </section>
    </Shell>
  );
}
