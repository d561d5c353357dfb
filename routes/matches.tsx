import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { z } from "zod";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { Button } from "@/components/Button.tsx";
import { EmptyState } from "@/components/EmptyState.tsx";
import {
  getMatchesSeenAt,
  listMutual,
  listReceived,
  markMatchesSeen,
  unmatchById,
} from "@/core/social/mod.ts";
import { countOf, timeAgo } from "@/components/glossary.ts";
import { photoUrl } from "@/components/profile/urls.ts";
import { NotFoundError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import { type MatchSummary, summarizeMatches } from "@/server/social/matches.ts";
import { readForm } from "@/server/http/request_body.ts";

interface MatchesData {
  matches: MatchSummary[];
  received: number;
  notice: string | null;
  /** When the member had last opened their matches before this visit (newer ones are new). */
  seenBefore: number;
  now: number;
}

const UnmatchForm = z.object({
  matchId: z.string().min(1, "Choose a match to end.").max(200, "That is not a match id."),
});

async function renderMatches(
  ctx: FreshContext<SignedInState, MatchesData>,
  notice: string | null,
  { status = 200, markSeen = false } = {},
) {
  const { deps, member } = ctx.state;
  const seenBefore = markSeen
    ? await markMatchesSeen(deps.kv, deps.clock, member.wallet)
    : await getMatchesSeenAt(deps.kv, member.wallet);
  const [matches, received] = await Promise.all([
    listMutual(deps.kv, member.wallet).then((list) => summarizeMatches(deps, member.wallet, list)),
    listReceived(deps.kv, member.wallet),
  ]);
  return ctx.render({
    matches,
    received: received.count,
    notice,
    seenBefore,
    now: deps.clock.now(),
  }, { status });
}

export const handler: Handlers<MatchesData, SignedInState> = {
  GET(req, ctx) {
    const unmatched = new URL(req.url).searchParams.has("unmatched");
    // Opening the page (not posting to it) marks the matches as seen.
    return renderMatches(
      ctx,
      unmatched ? "The match is ended. Both profiles are veiled again." : null,
      { markSeen: true },
    );
  },
  /** The unmatch form (works without JavaScript): ends one of the member's matches. */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const parsed = UnmatchForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) return renderMatches(ctx, parsed.error.issues[0].message, { status: 400 });
    try {
      await unmatchById(deps.kv, deps.clock, member.wallet, parsed.data.matchId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return renderMatches(ctx, "That match has already ended.", { status: 404 });
      }
      throw error;
    }
    return new Response(null, { status: 303, headers: { location: "/matches?unmatched=1" } });
  },
};

/** Mutual matches (each opens its conversation, new ones and unread messages marked) and waiting signals. */
export default function Matches({ data }: PageProps<MatchesData>) {
  const { matches, received, notice, seenBefore, now } = data;
  return (
    <Shell>
      <Head>
        <title>Matches · Aurum Circle</title>
      </Head>
      <section class="page matches-page" aria-labelledby="matches-title" data-testid="matches">
        <p class="eyebrow">Mutual signals</p>
        <h1 id="matches-title" class="display page__title">Your matches</h1>
        <p class="matches__waiting" data-testid="received-count">
          {received === 0
            ? "No secret signals are waiting for you right now."
            : received === 1
            ? "One member has signalled you in secret. Signal back to find out who."
            : `${received} members have signalled you in secret. Signal back to find out who.`}
        </p>
        {notice
          ? <p class="safety__notice" role="status" data-testid="matches-notice">{notice}</p>
          : null}
        {matches.length
          ? (
            <>
              <h2 class="section-label">
                {countOf(matches.length, "match", "matches")}
              </h2>
              <ul class="matches">
                {matches.map((match) => {
                  const fresh = match.matchedAt > seenBefore;
                  return (
                    <li
                      key={match.matchId}
                      class={fresh ? "match match--new" : "match"}
                      data-testid="match"
                    >
                      <a
                        class="match__thread"
                        href={`/matches/${match.matchId}`}
                        data-testid="match-thread"
                      >
                        {match.profile?.photoId
                          ? (
                            <img
                              class="match__photo"
                              src={photoUrl(
                                match.profile.id,
                                match.profile.photoId,
                                "card",
                                "open",
                              )}
                              alt=""
                              width={56}
                              height={56}
                            />
                          )
                          : <span class="match__photo match__photo--empty" aria-hidden="true" />}
                        <span class="match__body">
                          <span class="match__head">
                            <span class="match__name">
                              {match.profile?.displayName ?? "A member who left"}
                            </span>
                            {fresh ? <span class="match__badge">New</span> : null}
                            {match.unread
                              ? (
                                <span class="match__unread" data-testid="match-unread">
                                  {match.unread > 9 ? "9+" : match.unread}
                                  <span class="visually-hidden">unread</span>
                                </span>
                              )
                              : null}
                          </span>
                          <span class="match__preview" data-testid="match-preview">
                            {match.lastMessage
                              ? `${match.lastMessage.mine ? "You: " : ""}${match.lastMessage.text}`
                              : "Say hello"}
                          </span>
                          <span class="match__when">
                            {match.lastMessage ? "" : "Matched "}
                            <time
                              dateTime={new Date(match.lastMessage?.sentAt ?? match.matchedAt)
                                .toISOString()}
                            >
                              {timeAgo(match.lastMessage?.sentAt ?? match.matchedAt, now)}
                            </time>
                          </span>
                        </span>
                      </a>
                      {match.profile
                        ? (
                          <a class="match__profile" href={`/members/${match.profile.id}`}>
                            View {match.profile.displayName}'s profile
                          </a>
                        )
                        : null}
                      <details class="match__end">
                        <summary data-testid="unmatch-open">Unmatch</summary>
                        <form method="post" class="safety__form">
                          <input type="hidden" name="matchId" value={match.matchId} />
                          <p class="safety__hint">
                            Their profile is veiled again for you, and yours for them. A new match
                            takes two new signals.
                          </p>
                          <Button type="submit" variant="ghost" block data-testid="unmatch-submit">
                            End this match
                          </Button>
                        </form>
                      </details>
                    </li>
                  );
                })}
              </ul>
            </>
          )
          : (
            <EmptyState title="No matches yet" action={{ href: "/vault", label: "Open the vault" }}>
              Signals stay secret until they are mutual. Send one from the vault.
            </EmptyState>
          )}
      </section>
    </Shell>
  );
}
