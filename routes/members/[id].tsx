import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { z } from "zod";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { BadgeDisplay } from "@/components/BadgeDisplay.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { HorizontalScroll } from "@/components/HorizontalScroll.tsx";
import { GoldRule } from "@/components/GoldenGlowEffects.tsx";
import { HeaderStatus } from "@/components/auth/HeaderStatus.tsx";
import { photoUrl } from "@/components/profile/urls.ts";
import { tagLabel } from "@/components/profile/cards.ts";
import { profileDeps } from "@/server/profiles/profile_deps.ts";
import type { PublicProfileView } from "@/components/profile/types.ts";
import type { FullProfileView } from "@/core/profiles/mod.ts";
import { loadProfileView } from "@/core/profiles/mod.ts";
import { ConflictError, NotFoundError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import {
  BLOCK_RATE_LIMIT,
  blockMember,
  getMatch,
  REPORT_RATE_LIMIT,
  REPORT_REASONS,
  REPORT_TEXT_MAX,
  reportMember,
} from "@/core/social/mod.ts";
import { enforceRateLimit } from "@/core/cache/rate_limit.ts";
import { signalStates } from "@/server/social/signal_states.ts";
import { walletOfProfile } from "@/server/social/profile_lookup.ts";
import SignalButton, { type SignalState } from "@/islands/SignalButton.tsx";
import { readForm } from "@/server/http/request_body.ts";
import { SafetyActions } from "@/components/SafetyActions.tsx";
import { type SimilarMember, SimilarStyle } from "@/components/discovery/SimilarStyle.tsx";
import { similarStyle } from "@/core/discovery/mod.ts";
import { placeOf } from "@/components/glossary.ts";

interface MemberData {
  view: PublicProfileView & Partial<Pick<FullProfileView, "contactHandle">>;
  own: boolean;
  /** Where the viewer stands with this member (their SignalButton); null on your own page. */
  signal: SignalState | null;
  /** The match with this member (its conversation), when matched. */
  matchId: string | null;
  notice: string | null;
  /** Members with a similar photo style who opted in to be found so (empty: the row is left out). */
  similar: SimilarMember[];
}

/** Members in the "Similar photo style" row. */
const SIMILAR_SHOWN = 8;

const SafetyForm = z.discriminatedUnion("action", [
  z.object({ action: z.literal("block") }),
  z.object({
    action: z.literal("report"),
    reason: z.enum(REPORT_REASONS, "Choose a reason from the list."),
    text: z.string().trim().max(
      REPORT_TEXT_MAX,
      `Keep the description to ${REPORT_TEXT_MAX.toLocaleString("en")} characters or fewer.`,
    ).default(""),
  }),
]);

async function renderMember(
  ctx: FreshContext<SignedInState, MemberData>,
  notice: string | null,
  status = 200,
) {
  const { deps, member } = ctx.state;
  try {
    const view = await loadProfileView(profileDeps(deps), {
      profileId: ctx.params.id,
      viewer: member.wallet,
    });
    const own = "preferences" in view;
    const signal = own ? null : (await signalStates(deps, member.wallet, [view]))[view.id];
    const similar = await similarMembers(ctx.state, view.id);
    const matchId = signal === "matched"
      ? (await getMatch(deps.kv, member.wallet, await walletOfProfile(deps, view.id)))?.pairId ??
        null
      : null;
    return ctx.render({ view, own, signal, matchId, notice, similar }, { status });
  } catch (error) {
    if (error instanceof NotFoundError) return ctx.renderNotFound();
    throw error;
  }
}

/** The "Similar photo style" row; a vector store that cannot answer leaves it out, logged. */
async function similarMembers(state: SignedInState, profileId: string): Promise<SimilarMember[]> {
  const { deps, member } = state;
  try {
    return await similarStyle(deps, { viewer: member.wallet, profileId, limit: SIMILAR_SHOWN });
  } catch (error) {
    deps.logger.log("warn", "similar_style_unavailable", {
      component: "vectors",
      error: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
}

export const handler: Handlers<MemberData, SignedInState> = {
  GET(req, ctx) {
    const reported = new URL(req.url).searchParams.has("reported");
    return renderMember(ctx, reported ? "Thank you. Your report is with the council." : null);
  },
  /** The safety forms: report (stored for review) or block (hidden both ways), then redirect. */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const fields = Object.fromEntries(await readForm(req));
    const parsed = SafetyForm.safeParse(fields);
    if (!parsed.success) return renderMember(ctx, parsed.error.issues[0].message, 400);
    const other = await walletOfProfile(deps, ctx.params.id);
    if (parsed.data.action === "block") {
      await enforceRateLimit(deps.cache, BLOCK_RATE_LIMIT, member.wallet);
      await blockMember(deps.kv, deps.clock, member.wallet, other);
      return redirect("/vault?blocked=1");
    }
    const { reason, text } = parsed.data;
    await enforceRateLimit(deps.cache, REPORT_RATE_LIMIT, member.wallet);
    try {
      await reportMember(deps.kv, deps.clock, {
        reporter: member.wallet,
        reported: other,
        reason,
        text,
      });
    } catch (error) {
      if (error instanceof ConflictError && error.code === "report_already_open") {
        return renderMember(ctx, error.message, 409);
      }
      throw error;
    }
    return redirect(`/members/${encodeURIComponent(ctx.params.id)}?reported=1`);
  },
};

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** A member's profile: limited (veiled photos, no contact) before a mutual match, full after. */
export default function MemberPage({ data, state }: PageProps<MemberData, SignedInState>) {
  const { view, own, signal, notice, similar } = data;
  const full = own || view.matched;
  return (
    <Shell
      headerActions={<HeaderStatus member={state.member} />}
      back={view.matched && !own
        ? { href: "/matches", label: "Your matches" }
        : { href: "/vault", label: "The vault" }}
    >
      <Head>
        <title>{view.displayName} · Aurum Circle</title>
      </Head>
      <article
        class="page member"
        aria-labelledby="member-name"
        data-testid="member-profile"
        data-view={own ? "owner" : full ? "full" : "limited"}
      >
        {view.photos.length
          ? (
            <HorizontalScroll label={`Photos of ${view.displayName}`} class="member__photos">
              {view.photos.map((photo, i) => (
                <li key={photo.id} class="hscroll__item member__photo">
                  <img
                    class={photo.blurred ? "member__img member__img--veiled" : "member__img"}
                    src={photoUrl(view.id, photo.id, photo.blurred ? "card" : "full")}
                    alt={`${photo.blurred ? "Veiled photo" : "Photo"} ${
                      i + 1
                    } of ${view.displayName}`}
                    width={photo.width}
                    height={photo.height}
                    loading={i ? "lazy" : "eager"}
                    data-testid="member-photo"
                  />
                </li>
              ))}
            </HorizontalScroll>
          )
          : (
            <div class="member__monogram" aria-hidden="true">
              {view.displayName.charAt(0).toUpperCase()}
            </div>
          )}
        {full ? null : (
          <p class="member__veil-note" data-testid="veil-note">
            Photos unveil after a mutual signal.
          </p>
        )}
        <h1 id="member-name" class="display page__title member__name">
          {view.displayName}
          <span class="member__age">, {view.age}</span>
        </h1>
        <p class="member__meta" data-testid="member-meta">
          {[
            placeOf(view),
            view.university,
            view.graduationYear ? `Class of ${view.graduationYear}` : "",
          ].filter(Boolean).join(" · ")}
        </p>
        <BadgeDisplay badges={view.badges} class="member__badges" />
        <div class="member__actions">
          {signal
            ? (
              <SignalButton
                profileId={view.id}
                displayName={view.displayName}
                initial={signal}
                matchId={data.matchId}
                primary
              />
            )
            : null}
          {own
            ? (
              <ButtonLink href="/profile/edit" block data-testid="edit-profile">
                Edit profile
              </ButtonLink>
            )
            : null}
        </div>
        {view.bio ? <p class="member__bio">{view.bio}</p> : null}
        {view.vibeTags.length
          ? (
            <ul class="tags member__tags" aria-label="Vibe">
              {view.vibeTags.map((tag) => <li key={tag} class="tag">{tagLabel(tag)}</li>)}
            </ul>
          )
          : null}
        {view.prompts.length ? <GoldRule /> : null}
        {view.prompts.map((prompt) => (
          <section key={prompt.promptId} class="prompt-card" aria-label={prompt.prompt}>
            <p class="prompt-card__q">{prompt.prompt}</p>
            <p class="prompt-card__a">{prompt.answer}</p>
          </section>
        ))}
        {full && view.contactHandle
          ? (
            <p class="member__contact" data-testid="member-contact">
              Reach {own ? "you" : view.displayName} at <strong>{view.contactHandle}</strong>
            </p>
          )
          : null}
        <SimilarStyle members={similar} />
        {own ? null : <SafetyActions displayName={view.displayName} notice={notice} />}
      </article>
    </Shell>
  );
}
