import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { z } from "zod";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { Button } from "@/components/Button.tsx";
import { listMutual, listReceived, unmatchById } from "@/core/social/mod.ts";
import { NotFoundError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import { type MatchSummary, summarizeMatches } from "@/server/social/matches.ts";
import { readForm } from "@/server/http/request_body.ts";

interface MatchesData {
  matches: MatchSummary[];
  received: number;
  notice: string | null;
}

const UnmatchForm = z.object({
  matchId: z.string().min(1, "Choose a match to end.").max(200, "That is not a match id."),
});

async function renderMatches(
  ctx: FreshContext<SignedInState, MatchesData>,
  notice: string | null,
  status = 200,
) {
  const { deps, member } = ctx.state;
  const [matches, received] = await Promise.all([
    listMutual(deps.kv, member.wallet).then((list) => summarizeMatches(deps, list)),
    listReceived(deps.kv, member.wallet),
  ]);
  return ctx.render({ matches, received: received.count, notice }, { status });
}

export const handler: Handlers<MatchesData, SignedInState> = {
  GET(req, ctx) {
    const unmatched = new URL(req.url).searchParams.has("unmatched");
    return renderMatches(
      ctx,
      unmatched ? "The match is ended. Both profiles are veiled again." : null,
    );
  },
  /** The unmatch form (works without JavaScript): ends one of the member's matches. */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const parsed = UnmatchForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) return renderMatches(ctx, parsed.error.issues[0].message, 400);
    try {
      await unmatchById(deps.kv, deps.clock, member.wallet, parsed.data.matchId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return renderMatches(ctx, "That match has already ended.", 404);
      }
      throw error;
    }
    return new Response(null, { status: 303, headers: { location: "/matches?unmatched=1" } });
  },
};

/** Mutual matches (links to the now unlocked profiles) and how many secret signals wait. */
export default function Matches({ data }: PageProps<MatchesData>) {
  return (
    <Shell>
      <Head>
        <title>Matches · Aurum Circle</title>
      </Head>
      <section class="stack" aria-labelledby="matches-title" data-testid="matches">
        <p class="eyebrow">Mutual signals</p>
        <h1 id="matches-title" class="display">Your matches</h1>
        <p data-testid="received-count">
          {data.received === 1
            ? "One member has signalled you in secret."
            : `${data.received} members have signalled you in secret.`} Signal back to find out who.
        </p>
        {data.notice
          ? <p class="safety__notice" role="status" data-testid="matches-notice">{data.notice}</p>
          : null}
        {data.matches.length
          ? (
            <ul class="matches">
              {data.matches.map((match) => (
                <li key={match.matchId} class="match" data-testid="match">
                  {match.profile
                    ? <a href={`/members/${match.profile.id}`}>{match.profile.displayName}</a>
                    : <span>A member without a profile</span>}{" "}
                  <time dateTime={new Date(match.matchedAt).toISOString()}>
                    {new Date(match.matchedAt).toISOString().slice(0, 10)}
                  </time>
                  <details class="match__end">
                    <summary data-testid="unmatch-open">Unmatch</summary>
                    <form method="post" class="safety__form">
                      <input type="hidden" name="matchId" value={match.matchId} />
                      <p class="safety__hint">
                        Their profile is veiled again for you, and yours for them. A new match takes
                        two new signals.
                      </p>
                      <Button type="submit" variant="ghost" block data-testid="unmatch-submit">
                        End this match
                      </Button>
                    </form>
                  </details>
                </li>
              ))}
            </ul>
          )
          : <p>No matches yet. Signals stay secret until they are mutual.</p>}
      </section>
    </Shell>
  );
}
