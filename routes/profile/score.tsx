import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { z } from "zod";
import { Shell } from "@/components/Shell.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { EmptyState } from "@/components/EmptyState.tsx";
import { photoUrl } from "@/components/profile/urls.ts";
import { PhotoScoreCard } from "@/components/scoring/PhotoScoreCard.tsx";
import { LeaderboardChoice, StyleChoice } from "@/components/scoring/ScoreChoices.tsx";
import {
  SCORE_RATE_LIMIT,
  type ScoreOverview,
  scoreOverview,
  scoreOwnPhoto,
  setLeaderboardOptIn,
} from "@/core/scoring/mod.ts";
import { setStyleOptIn, styleOptInOf } from "@/core/discovery/mod.ts";
import { DomainError, TooManyRequestsError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import { statusFor } from "@/server/http/http_errors.ts";
import { readForm } from "@/server/http/request_body.ts";
import { scoringDeps } from "@/server/profiles/profile_deps.ts";
import ScorePhoto from "@/islands/ScorePhoto.tsx";

interface ScorePageData {
  overview: ScoreOverview & { profileId: string };
  styleOptIn: boolean;
  /** The photo scored just now (from the redirect), marked on the page. */
  scored: string | null;
  notice: string | null;
}

const choice = { optIn: z.enum(["true", "false"]).transform((v) => v === "true") };
const back = z.enum(["/profile/score", "/leaderboard"]).default("/profile/score");

/** The page's forms: score one of my photos, or change one of the two opt-ins. */
const ScoreForm = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("score"),
    photoId: z.string({ error: "Choose one of your photos." })
      .regex(/^[0-9A-Za-z_-]{1,64}$/, "Choose one of your photos."),
  }),
  z.object({ action: z.literal("leaderboard"), ...choice, back }),
  z.object({ action: z.literal("style"), ...choice, back }),
], { error: "That form was not understood. Reload the page and try again." });

/** What the member reads after a change of choice (`?done=`). */
const NOTICES: Record<string, string> = {
  "leaderboard-on": "You are now on the leaderboard.",
  "leaderboard-off": "You are off the leaderboard. Your scores are private again.",
  "style-on": "Members with a similar photo style can now find you.",
  "style-off": "You are no longer shown to members by photo style.",
};

/** What a refused scoring tells the member (the page's own words, never an internal code). */
function refusal(error: DomainError): string {
  if (error instanceof TooManyRequestsError) {
    return `You can score up to ${SCORE_RATE_LIMIT.limit} photos a day. Try again tomorrow.`;
  }
  if (error.code === "photo_not_found") return "That photo is no longer on your profile.";
  if (error.code === "profile_not_found") return "Create your profile first.";
  if (statusFor(error) >= 500) {
    return "Your photo could not be scored just now. Please try again in a moment.";
  }
  return "That did not work. Please try again.";
}

async function renderScores(
  ctx: FreshContext<SignedInState, ScorePageData>,
  notice: string | null,
  status = 200,
) {
  const { deps, member } = ctx.state;
  const overview = await scoreOverview(deps, { wallet: member.wallet });
  if (!overview.profileId) {
    return new Response(null, { status: 303, headers: { location: "/onboarding" } });
  }
  const scored = ctx.url.searchParams.get("scored");
  return ctx.render({
    overview: { ...overview, profileId: overview.profileId },
    styleOptIn: await styleOptInOf(deps.kv, overview.profileId),
    scored: overview.photos.some((p) => p.photoId === scored) ? scored : null,
    notice,
  }, { status, headers: { "cache-control": "private, no-store" } });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

export const handler: Handlers<ScorePageData, SignedInState> = {
  GET(_req, ctx) {
    return renderScores(ctx, NOTICES[ctx.url.searchParams.get("done") ?? ""] ?? null);
  },
  /** The forms (they work without JavaScript): score a photo, or change an opt-in, then redirect. */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const parsed = ScoreForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) return renderScores(ctx, parsed.error.issues[0].message, 400);
    const form = parsed.data;
    try {
      if (form.action === "score") {
        const { photoId } = form;
        await scoreOwnPhoto(scoringDeps(deps), { wallet: member.wallet, photoId });
        return redirect(`/profile/score?scored=${photoId}#score-${photoId}`);
      }
      const change = { wallet: member.wallet, optIn: form.optIn };
      if (form.action === "leaderboard") await setLeaderboardOptIn(deps, change);
      else await setStyleOptIn(deps, change);
      return redirect(`${form.back}?done=${form.action}-${form.optIn ? "on" : "off"}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return renderScores(ctx, refusal(error), statusFor(error));
    }
  },
};

/** The member's own photo scores: private, with their breakdowns and histories, and the opt-ins. */
export default function ScorePage({ data }: PageProps<ScorePageData, SignedInState>) {
  const { overview, styleOptIn, scored, notice } = data;
  const { profileId, photos, scoredPhotos } = overview;
  const firstUnscored = photos.find((p) => !p.latest)?.photoId;
  return (
    <Shell back={{ href: "/profile/edit", label: "Your profile" }}>
      <Head>
        <title>Your photo score · Aurum Circle</title>
      </Head>
      <section class="page score-page" aria-labelledby="score-page-title">
        <p class="eyebrow">Private to you</p>
        <h1 id="score-page-title" class="display page__title">Your photo score</h1>
        <p class="score-page__lead">
          A score of the photo, not of you: light, focus, framing and how clearly your face is seen.
          Only you see your scores unless you choose the leaderboard below.
        </p>
        {notice
          ? <p class="score-page__notice" role="status" data-testid="score-notice">{notice}</p>
          : null}
        {photos.length
          ? (
            <ScorePhoto
              photos={photos.map((p) => ({ id: p.photoId, url: photoUrl(profileId, p.photoId) }))}
              selected={scored ?? firstUnscored ?? photos[0].photoId}
              dailyLimit={SCORE_RATE_LIMIT.limit}
            />
          )
          : (
            <EmptyState
              title="No photos yet"
              action={{ href: "/profile/edit", label: "Add a photo" }}
              testId="score-empty"
            >
              Add a photo to your profile, then come back to score it.
            </EmptyState>
          )}
        <div class="score-page__photos">
          {photos.map((photo, i) => (
            <PhotoScoreCard
              key={photo.photoId}
              profileId={profileId}
              photo={photo}
              position={i + 1}
              scoredPhotos={scoredPhotos}
              fresh={photo.photoId === scored}
            />
          ))}
        </div>
        <section class="score-page__choices" aria-labelledby="choices-title">
          <h2 id="choices-title" class="section-label">Who sees what</h2>
          <LeaderboardChoice on={overview.leaderboardOptIn} back="/profile/score" />
          <StyleChoice on={styleOptIn} back="/profile/score" />
          <ButtonLink href="/leaderboard" variant="ghost" block data-testid="to-leaderboard">
            See the leaderboard
          </ButtonLink>
        </section>
        <section class="score-page__about" aria-labelledby="about-title">
          <h2 id="about-title" class="section-label">What the score is, and is not</h2>
          <p>
            It measures the photo: exposure, sharpness, grain, colour, framing, and whether one face
            is clearly seen and not cut off. Once members' choices have been counted, they tune
            these weights. It never uses your gender, background, age, university, wallet, tickets
            or payments.
          </p>
          <p>
            Even the best scores of this kind agree with people's own judgement only loosely. Treat
            it as advice about a photo.
          </p>
        </section>
      </section>
    </Shell>
  );
}
