import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { QRCodeGenerator } from "@/components/QRCodeGenerator.tsx";
import { activeInviteLimit, listInvites } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { inviteLink } from "@/server/social/invites.ts";
import InviteDashboard, { type DashboardInvite } from "@/islands/InviteDashboard.tsx";

interface InvitesPage {
  invites: DashboardInvite[];
  maxActive: number;
}

export const handler: Handlers<InvitesPage, SignedInState> = {
  async GET(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const [invites, maxActive] = await Promise.all([
      listInvites(kv, ctx.state.member.wallet, clock),
      activeInviteLimit(kv, ctx.state.member.wallet),
    ]);
    return ctx.render({
      invites: invites.map(({ code, status, expiresAt }) => ({
        code,
        status,
        expiresAt,
        link: inviteLink(config, code),
      })),
      maxActive,
    });
  },
};

/** The invite dashboard: codes with status, generate/revoke/copy, a QR for each active code. */
export default function Invites({ data: { invites, maxActive } }: PageProps<InvitesPage>) {
  const active = invites.filter((invite) => invite.status === "active");
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
        <InviteDashboard invites={invites} maxActive={maxActive} />
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
