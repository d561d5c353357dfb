/**
 * Everything held about one member, for the member themselves: their records as stored, photos as
 * short-lived signed links, and what they did to others named by profile id. Never another member's
 * private data: who signalled them stays a count, other members' wallets never appear, and session
 * ids, the World ID nullifier and IP hashes are left out.
 */
import { listWalletSessions } from "@/core/auth/mod.ts";
import type { Clock } from "@/core/clock.ts";
import { NotFoundError } from "@/core/errors.ts";
import { listTickets, type Ticket } from "@/core/events/mod.ts";
import { getMember, memberSummary, normalizeWallet } from "@/core/members.ts";
import { getProfile, profileIdOf, renditionKey, RENDITIONS } from "@/core/profiles/mod.ts";
import { readPhotoAnalysis } from "@/core/scoring/photo_analysis.ts";
import {
  getClaimByClaimant,
  listBlocked,
  listInvites,
  listMessages,
  listMutual,
  listReceived,
  listReportsInvolving,
  listSent,
  listWarnings,
  type MatchView,
  type ThreadMessage,
} from "@/core/social/mod.ts";
import type { ObjectStore } from "@/core/storage/mod.ts";
import { listMemberObjects } from "@/core/storage/member_objects.ts";
import { scoreKeys } from "./scores.ts";

/** How long the photo links in an export stay valid: 15 minutes. */
export const EXPORT_LINK_SECONDS = 15 * 60;

/** What an export needs. */
export interface ExportDeps {
  kv: Deno.Kv;
  clock: Clock;
  objects: ObjectStore;
  appSecret: string;
}

async function collect(kv: Deno.Kv, prefixes: Deno.KvKey[]) {
  const entries: { key: Deno.KvKey; value: unknown }[] = [];
  for (const prefix of prefixes) {
    for await (const entry of kv.list({ prefix })) {
      entries.push({ key: entry.key, value: entry.value });
    }
  }
  return entries;
}

async function collectScores(kv: Deno.Kv, where: ReturnType<typeof scoreKeys>) {
  const entries = await collect(kv, where.prefixes);
  for (const entry of await kv.getMany(where.keys)) {
    if (entry.versionstamp) entries.push({ key: entry.key, value: entry.value });
  }
  return entries;
}

async function allTickets(kv: Deno.Kv, wallet: string): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  let cursor = "";
  do {
    const page = await listTickets(kv, { viewer: { wallet }, cursor, limit: 100 });
    tickets.push(...page.values);
    cursor = page.cursor;
  } while (cursor);
  return tickets;
}

/** Every message of the member's thread with one match, oldest first ("mine" marks their own). */
async function conversationOf(kv: Deno.Kv, wallet: string, match: MatchView) {
  const thread = {
    pairId: match.pairId,
    matchedAt: match.matchedAt,
    me: wallet,
    other: match.with,
  };
  const pages: ThreadMessage[][] = [];
  let cursor = "";
  do {
    const page = await listMessages(kv, thread, { cursor, limit: 100 });
    pages.unshift(page.values);
    cursor = page.cursor;
  } while (cursor);
  return pages.flat().map(({ mine, text, sentAt }) => ({ mine, text, sentAt }));
}

/** Everything held about `wallet`, as JSON-ready data. NotFoundError `member_not_found`. */
export async function exportMemberData(deps: ExportDeps, wallet: string) {
  const who = normalizeWallet(wallet);
  const { kv, clock } = deps;
  const member = await getMember(kv, who);
  if (!member) throw new NotFoundError("member_not_found", "No such member.");
  const now = clock.now();
  const profileId = await profileIdOf(kv, who);
  const profile = profileId ? await getProfile({ kv, clock }, profileId) : null;
  const profileOf = async (other: string) => await profileIdOf(kv, other);

  const photos = profile
    ? await Promise.all(profile.photos.map(async (photo) => ({
      ...photo,
      links: Object.fromEntries(
        await Promise.all(RENDITIONS.map(async (rendition) => [
          rendition,
          await deps.objects.signedUrl(renditionKey(profile.id, photo.id, rendition), {
            expiresInSeconds: EXPORT_LINK_SECONDS,
          }),
        ])),
      ),
      analysis: await readPhotoAnalysis(kv, photo.id),
    })))
    : [];

  const [sessions, sent, received, matches, invites, claim, blocked, reports, warnings] =
    await Promise.all([
      listWalletSessions(kv, who),
      listSent(kv, who),
      listReceived(kv, who),
      listMutual(kv, who),
      listInvites(kv, who, clock),
      getClaimByClaimant(kv, who),
      listBlocked(kv, who),
      listReportsInvolving(kv, who),
      listWarnings(kv, who),
    ]);
  const objects = await listMemberObjects(deps, { wallet: who, limit: 1000 });

  return {
    exportedAt: now,
    linksExpireAt: now + EXPORT_LINK_SECONDS * 1000,
    member: {
      ...memberSummary(member),
      invitedBy: claim ? { inviteId: claim.inviteId, claimedAt: claim.claimedAt } : null,
    },
    profile: profile ? { ...profile, photos } : null,
    styleSettings: profileId ? (await kv.get(["style_settings", profileId])).value : null,
    scores: await collectScores(
      kv,
      scoreKeys(profileId, profile?.photos.map((photo) => photo.id) ?? []),
    ),
    signals: {
      sent: await Promise.all(sent.map(async (signal) => ({
        toProfileId: await profileOf(signal.to),
        sentAt: signal.sentAt,
        matched: signal.matched,
      }))),
      receivedPending: received.count,
    },
    matches: await Promise.all(matches.map(async (match) => ({
      matchId: match.pairId,
      withProfileId: await profileOf(match.with),
      matchedAt: match.matchedAt,
      messages: await conversationOf(kv, who, match),
    }))),
    blocked: await Promise.all(blocked.map(async (block) => ({
      profileId: await profileOf(block.wallet),
      blockedAt: block.blockedAt,
    }))),
    invites: await Promise.all(invites.map(async ({ claimedBy, ...invite }) => ({
      ...invite,
      claimedByProfileId: claimedBy ? await profileOf(claimedBy) : null,
    }))),
    tickets: (await allTickets(kv, who)).map(({ wallet: _holder, idempotencyKey: _key, ...t }) =>
      t
    ),
    reportsFiled: await Promise.all(reports.filed.map(async (report) => ({
      id: report.id,
      reportedProfileId: await profileOf(report.reported),
      reason: report.reason,
      text: report.text,
      status: report.status,
      createdAt: report.createdAt,
      resolvedAt: report.resolvedAt,
    }))),
    sessions: sessions.map(({ method, createdAt, expiresAt, revokedAt }) => ({
      method,
      createdAt,
      expiresAt,
      revokedAt,
    })),
    warnings: warnings.map(({ note, at }) => ({ note, at })),
    storedObjects: objects.values.map(({ key, size }) => ({
      key: key.slice(objects.prefix.length),
      size,
    })),
  };
}

/** A member's export. */
export type MemberExport = Awaited<ReturnType<typeof exportMemberData>>;
