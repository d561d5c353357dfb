import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "../components/Shell.tsx";
import { listMutual, listReceived } from "../core/signals.ts";
import type { SignedInState } from "../server/deps.ts";
import { type MatchSummary, summarizeMatches } from "../server/social.ts";

interface MatchesData {
  matches: MatchSummary[];
  received: number;
}

export const handler: Handlers<MatchesData, SignedInState> = {
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const [matches, received] = await Promise.all([
      listMutual(deps.kv, member.wallet).then((list) => summarizeMatches(deps, list)),
      listReceived(deps.kv, member.wallet),
    ]);
    return ctx.render({ matches, received: received.count });
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
                </li>
              ))}
            </ul>
          )
          : <p>No matches yet. Signals stay secret until they are mutual.</p>}
      </section>
    </Shell>
  );
}
