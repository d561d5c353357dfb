import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { z } from "zod";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { Button } from "@/components/Button.tsx";
import { QRCodeGenerator } from "@/components/QRCodeGenerator.tsx";
import { countOf, INVITE_STATUS_TEXT, timeAgo, timeUntil } from "@/components/glossary.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import { ConflictError, NotFoundError } from "@/core/errors.ts";
import {
  activeInviteLimit,
  createInvite,
  INVITE_RATE_LIMITS,
  listInvites,
  revokeInvite,
} from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { type InviteJson, inviteJson } from "@/server/social/invites.ts";
import { readForm } from "@/server/http/request_body.ts";
import ShareInvite from "@/islands/ShareInvite.tsx";

interface InvitesPage {
  invites: InviteJson[];
  maxActive: number;
  notice: string | null;
  now: number;
  ttlDays: number;
  /** The mini-app id, for MiniKit's share sheet inside World App. */
  appId: string;
}

const InviteForm = z.discriminatedUnion("action", [
  z.object({ action: z.literal("create") }),
  z.object({
    action: z.literal("revoke"),
    code: z.string().min(1, "Choose the invite to cancel.").max(40, "That is not an invite."),
  }),
], "Choose what to do with your invites.");

const NOTICES: Record<string, string> = {
  created: "A new invite is ready. Share it, copy its link or show its QR code.",
  revoked: "The invite is cancelled: its link no longer opens the door.",
};

async function renderInvites(
  ctx: FreshContext<SignedInState, InvitesPage>,
  notice: string | null,
  status = 200,
) {
  const { deps, member } = ctx.state;
  const [invites, maxActive] = await Promise.all([
    listInvites(deps.kv, member.wallet, deps.clock),
    activeInviteLimit(deps.kv, member.wallet),
  ]);
  return ctx.render({
    invites: await Promise.all(invites.map((invite) => inviteJson(deps, invite))),
    maxActive,
    notice,
    now: deps.clock.now(),
    ttlDays: Math.round(deps.config.social.inviteTtlMs / 86_400_000),
    appId: deps.config.worldId.appId,
  }, { status, headers: { "cache-control": "private, no-store" } });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

export const handler: Handlers<InvitesPage, SignedInState> = {
  GET(_req, ctx) {
    const done = ctx.url.searchParams.get("done") ?? "";
    return renderInvites(ctx, NOTICES[done] ?? null);
  },
  /** The invite forms (work without JavaScript): create a code, or cancel an unused one. */
  async POST(req, ctx) {
    const { kv, clock, cache, config } = ctx.state.deps;
    const wallet = ctx.state.member.wallet;
    const parsed = InviteForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) return renderInvites(ctx, parsed.error.issues[0].message, 400);
    try {
      if (parsed.data.action === "create") {
        await enforceRateLimit(cache, INVITE_RATE_LIMITS.createByWallet, wallet);
        await createInvite(kv, clock, wallet, { ttlMs: config.social.inviteTtlMs });
        return redirect("/invites?done=created");
      }
      await revokeInvite(kv, clock, wallet, parsed.data.code);
      return redirect("/invites?done=revoked");
    } catch (error) {
      if (error instanceof ConflictError) return renderInvites(ctx, error.message, 409);
      if (error instanceof NotFoundError) {
        return renderInvites(ctx, "That invite is not one of yours any more.", 404);
      }
      throw error;
    }
  },
};

/** One invite: its code, status and expiry together, and for an unused one its QR and actions. */
function Invite({ invite, now, appId }: { invite: InviteJson; now: number; appId: string }) {
  const active = invite.status === "active";
  const label = `invite ${invite.code}`;
  return (
    <li class="invite" data-status={invite.status} data-testid="invite">
      <div class="invite__head">
        <code class="invite__code">{invite.code}</code>
        <span class={`invite__status invite__status--${invite.status}`}>
          {INVITE_STATUS_TEXT[invite.status]}
        </span>
      </div>
      <p class="invite__when" data-testid="invite-when">
        {invite.status === "claimed"
          ? (
            <>
              Used {invite.claimedAt ? timeAgo(invite.claimedAt, now) : ""}
              {invite.claimedBy
                ? (
                  <>
                    {" by "}
                    <a href={`/members/${invite.claimedBy.profileId}`}>
                      {invite.claimedBy.displayName}
                    </a>
                  </>
                )
                : null}
            </>
          )
          : invite.status === "expired"
          ? `Expired ${timeAgo(invite.expiresAt, now)}`
          : invite.status === "revoked"
          ? "Cancelled by you"
          : `Expires ${timeUntil(invite.expiresAt, now)}`}
      </p>
      {active
        ? (
          <>
            <QRCodeGenerator value={invite.link} label={`QR code for ${label}`} size={176} />
            <div class="invite__actions">
              <ShareInvite
                link={invite.link}
                label={label}
                message={`I vouch for you: this invite opens the door to Aurum Circle, a private circle of verified humans. It works once and expires ${
                  timeUntil(invite.expiresAt, now)
                }.`}
                appId={appId}
              />
              <form method="post">
                <input type="hidden" name="action" value="revoke" />
                <input type="hidden" name="code" value={invite.code} />
                <Button type="submit" variant="ghost" block data-testid="invite-revoke">
                  Cancel this invite
                </Button>
              </form>
            </div>
          </>
        )
        : null}
    </li>
  );
}

/** The member's invites: each with its QR, status and expiry; create or cancel with plain forms. */
export default function Invites({ data }: PageProps<InvitesPage>) {
  const { invites, maxActive, notice, now, ttlDays, appId } = data;
  const active = invites.filter((invite) => invite.status === "active").length;
  return (
    <Shell>
      <Head>
        <title>Invites · Aurum Circle</title>
      </Head>
      <section class="page invites" aria-labelledby="invites-title" data-testid="invite-dashboard">
        <p class="eyebrow">A member's word</p>
        <h1 id="invites-title" class="display page__title">Invite someone</h1>
        <p class="page__lede">
          Each invite admits one verified human and expires after {ttlDays}{" "}
          days. Scanning its QR code opens Aurum Circle in World App with the invite filled in.
        </p>
        {notice
          ? <p class="safety__notice" role="status" data-testid="invites-notice">{notice}</p>
          : null}
        <p class="invites__count" data-testid="invites-count">
          {countOf(active, "invite", "invites", "No invites")} waiting to be used · up to{" "}
          {maxActive} at a time
        </p>
        <form method="post" class="invites__create">
          <input type="hidden" name="action" value="create" />
          <Button type="submit" block disabled={active >= maxActive} data-testid="invite-generate">
            Create an invite
          </Button>
        </form>
        {invites.length
          ? (
            <ul class="invites__list">
              {invites.map((invite) => (
                <Invite key={invite.code} invite={invite} now={now} appId={appId} />
              ))}
            </ul>
          )
          : null}
      </section>
    </Shell>
  );
}
