import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { z } from "zod";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { SafetyActions } from "@/components/SafetyActions.tsx";
import { photoUrl } from "@/components/profile/urls.ts";
import {
  listMessages,
  markMatchesSeen,
  markRead,
  openThread,
  readReceipts,
  sendMessage,
  type Thread,
} from "@/core/social/mod.ts";
import type { ThreadMessage } from "@/core/social/live_events.ts";
import { BadRequestError, NotFoundError, TooManyRequestsError } from "@/core/errors.ts";
import { ulid } from "@/core/ulid.ts";
import type { SignedInState } from "@/server/deps.ts";
import { readForm } from "@/server/http/request_body.ts";
import { type ProfileSummary, profileSummaryOf } from "@/server/social/profile_lookup.ts";
import ConversationThread from "@/islands/ConversationThread.tsx";

interface ThreadData {
  matchId: string;
  other: ProfileSummary | null;
  messages: ThreadMessage[];
  seenUpTo: string | null;
  /** The idempotency key of the next send from the form. */
  clientKey: string;
  draft: string;
  notice: string | null;
  now: number;
  worldAppId: string;
}

/** The form's shape; the text's rules are the core's (`message_invalid`). */
const SendForm = z.object({
  text: z.string().max(20_000, "Keep a message to 1,000 characters or fewer."),
  clientKey: z.string().max(64),
});

async function renderThread(
  ctx: FreshContext<SignedInState, ThreadData>,
  thread: Thread,
  options: { notice?: string | null; draft?: string; clientKey?: string; status?: number } = {},
) {
  const { deps } = ctx.state;
  const [page, receipts, other] = await Promise.all([
    listMessages(deps.kv, thread, { limit: 50 }),
    readReceipts(deps.kv, thread),
    profileSummaryOf(deps, thread.other),
  ]);
  return ctx.render({
    matchId: thread.pairId,
    other,
    messages: page.values,
    seenUpTo: receipts.theirs,
    clientKey: options.clientKey ?? ulid(deps.clock),
    draft: options.draft ?? "",
    notice: options.notice ?? null,
    now: deps.clock.now(),
    worldAppId: deps.config.worldId.appId,
  }, { status: options.status ?? 200 });
}

/** The thread for this member, or null (rendered as a plain 404: nothing about the match shows). */
async function threadOrNull(ctx: FreshContext<SignedInState, ThreadData>) {
  try {
    return await openThread(ctx.state.deps.kv, ctx.state.member.wallet, ctx.params.matchId);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export const handler: Handlers<ThreadData, SignedInState> = {
  /**
   * Opening the thread reads it: the receipt moves, and the unread messages and new matches (as
   * when opening the list) clear before the tab bar renders.
   */
  async GET(_req, ctx) {
    const thread = await threadOrNull(ctx);
    if (!thread) return ctx.renderNotFound();
    const { deps, member } = ctx.state;
    await markRead(deps.kv, deps.clock, member.wallet, thread.pairId);
    await markMatchesSeen(deps.kv, deps.clock, member.wallet);
    return renderThread(ctx, thread);
  },
  /** The composer without JavaScript: send, then back to the thread (a resent form never duplicates). */
  async POST(req, ctx) {
    const thread = await threadOrNull(ctx);
    if (!thread) return ctx.renderNotFound();
    const { deps, member } = ctx.state;
    const parsed = SendForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) {
      return renderThread(ctx, thread, { notice: parsed.error.issues[0].message, status: 400 });
    }
    const { text, clientKey } = parsed.data;
    try {
      await sendMessage(deps.kv, deps.clock, {
        from: member.wallet,
        matchId: thread.pairId,
        text,
        clientKey,
      });
    } catch (error) {
      if (error instanceof NotFoundError) return ctx.renderNotFound();
      if (error instanceof BadRequestError || error instanceof TooManyRequestsError) {
        const status = error instanceof TooManyRequestsError ? 429 : 400;
        return renderThread(ctx, thread, { notice: error.message, draft: text, clientKey, status });
      }
      throw error;
    }
    return new Response(null, {
      status: 303,
      headers: { location: `/matches/${thread.pairId}#composer` },
    });
  },
};

/** A match's private conversation: the other member, the messages, a composer, safety. */
export default function ConversationPage({ data }: PageProps<ThreadData>) {
  const { other } = data;
  const name = other?.displayName ?? "A member who left";
  return (
    <Shell back={{ href: "/matches", label: "Your matches" }}>
      <Head>
        <title>{name} · Aurum Circle</title>
      </Head>
      <section class="page conversation" aria-labelledby="conversation-title">
        <header class="conversation__head">
          {other?.photoId
            ? (
              <img
                class="conversation__photo"
                src={photoUrl(other.id, other.photoId, "card", "open")}
                alt=""
                width={56}
                height={56}
              />
            )
            : <span class="conversation__photo conversation__photo--empty" aria-hidden="true" />}
          <div>
            <p class="eyebrow">Your match</p>
            <h1 id="conversation-title" class="display conversation__name">
              {other
                ? <a href={`/members/${other.id}`} data-testid="conversation-profile">{name}</a>
                : name}
            </h1>
          </div>
        </header>
        {data.notice
          ? (
            <p class="safety__notice" role="alert" data-testid="conversation-notice">
              {data.notice}
            </p>
          )
          : null}
        <ConversationThread
          matchId={data.matchId}
          otherName={name}
          initial={data.messages}
          seenUpTo={data.seenUpTo}
          clientKey={data.clientKey}
          draft={data.draft}
          now={data.now}
          worldAppId={data.worldAppId}
        />
        {other ? <SafetyActions displayName={name} formAction={`/members/${other.id}`} /> : null}
      </section>
    </Shell>
  );
}
