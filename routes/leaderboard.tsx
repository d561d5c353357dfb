import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { EmptyState } from "@/components/EmptyState.tsx";
import { cardOf } from "@/components/profile/cards.ts";
import { Leaderboard, type LeaderboardRow } from "@/components/scoring/Leaderboard.tsx";
import { LeaderboardChoice } from "@/components/scoring/ScoreChoices.tsx";
import {
  type LeaderboardStanding,
  leaderboardStanding,
  listLeaderboard,
  MAX_LEADERBOARD,
} from "@/core/scoring/mod.ts";
import type { SignedInState } from "@/server/deps.ts";

interface LeaderboardData {
  rows: LeaderboardRow[];
  standing: LeaderboardStanding;
  notice: string | null;
}

const NOTICES: Record<string, string> = {
  "leaderboard-on": "You are now on the leaderboard.",
  "leaderboard-off": "You are off the leaderboard. Your scores are private again.",
};

export const handler: Handlers<LeaderboardData, SignedInState> = {
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const [entries, standing] = await Promise.all([
      listLeaderboard(deps, { viewer: member.wallet, limit: MAX_LEADERBOARD }),
      leaderboardStanding(deps, { wallet: member.wallet }),
    ]);
    const rows = entries.map(({ rank, score, profile }): LeaderboardRow => {
      const card = cardOf(profile);
      return {
        rank,
        profileId: profile.id,
        displayName: profile.displayName,
        photo: card.member.photoUrl ?? null,
        veiled: card.veiled,
        score,
        own: profile.id === standing.profileId,
      };
    });
    const notice = NOTICES[ctx.url.searchParams.get("done") ?? ""] ?? null;
    return ctx.render({ rows, standing, notice }, {
      headers: { "cache-control": "private, no-store" },
    });
  },
};

/** Where the member stands: on the board (and where), waiting for a score, or private. */
function StandingLine(
  { standing, rows }: { standing: LeaderboardStanding; rows: LeaderboardRow[] },
) {
  const own = rows.find((row) => row.own);
  const text = !standing.optIn
    ? "You are not on the leaderboard. Your scores stay private unless you choose it."
    : own
    ? `You are number ${own.rank}.`
    : standing.best === null
    ? "You chose the leaderboard; score a photo to appear."
    : `You are on the leaderboard, below the top ${MAX_LEADERBOARD}.`;
  return <p class="leaderboard-page__standing" data-testid="leaderboard-standing">{text}</p>;
}

/** The leaderboard: only members who chose to appear, by their best photo's score. */
export default function LeaderboardPage({ data }: PageProps<LeaderboardData, SignedInState>) {
  const { rows, standing, notice } = data;
  return (
    <Shell back={{ href: "/profile/score", label: "Your photo score" }}>
      <Head>
        <title>Leaderboard · Aurum Circle</title>
      </Head>
      <section class="page leaderboard-page" aria-labelledby="leaderboard-title">
        <p class="eyebrow">By choice only</p>
        <h1 id="leaderboard-title" class="display page__title">The leaderboard</h1>
        <p class="leaderboard-page__lead">
          Members who chose to show their best photo's score. Everyone else's scores stay private.
        </p>
        {notice
          ? <p class="score-page__notice" role="status" data-testid="score-notice">{notice}</p>
          : null}
        <StandingLine standing={standing} rows={rows} />
        {rows.length
          ? <Leaderboard rows={rows} />
          : (
            <EmptyState title="No one here yet" testId="leaderboard-empty">
              No member has chosen to show a score yet.
            </EmptyState>
          )}
        <LeaderboardChoice on={standing.optIn} back="/leaderboard" />
      </section>
    </Shell>
  );
}
