/**
 * Members as the circle's admins see them: finding one by wallet or profile id, everything known
 * about them in one overview (never a session id, nullifier or IP hash), and suspension — which
 * signs the member out everywhere; sign-in and every session check then refuse them.
 */
import { deleteWalletSessions, listWalletSessions } from "@/core/auth/mod.ts";
import type { Clock } from "@/core/clock.ts";
import { NotFoundError } from "@/core/errors.ts";
import {
  getMember,
  type Member,
  memberSummary,
  normalizeWallet,
  setSuspension,
} from "@/core/members.ts";
import { ageOn, getProfile, profileIdOf, readProfile } from "@/core/profiles/mod.ts";
import {
  activeInviteLimit,
  extraInviteAllowance,
  getClaimByClaimant,
  listBlocked,
  listInvites,
  listMutual,
  listReceived,
  listReportsInvolving,
  listSent,
  listWarnings,
} from "@/core/social/mod.ts";

const WALLET = /^0x[0-9a-fA-F]{40}$/;

/** Finds a member by wallet (any case) or profile id; NotFoundError `member_not_found`. */
export async function resolveMember(kv: Deno.Kv, ref: string): Promise<Member> {
  let wallet: string | null = null;
  if (WALLET.test(ref)) {
    wallet = normalizeWallet(ref);
  } else {
    const { profile } = await readProfile(kv, ref.toUpperCase());
    wallet = profile?.wallet ?? null;
  }
  const member = wallet ? await getMember(kv, wallet) : null;
  if (!member) throw new NotFoundError("member_not_found", `No member ${ref}.`);
  return member;
}

/** Everything an admin needs about one member. */
export async function memberOverview(kv: Deno.Kv, clock: Clock, wallet: string) {
  const member = await getMember(kv, wallet);
  if (!member) throw new NotFoundError("member_not_found", `No member ${wallet}.`);
  const now = clock.now();
  const profileId = await profileIdOf(kv, member.wallet);
  const profile = profileId ? await getProfile({ kv, clock }, profileId) : null;
  const [
    sessions,
    invites,
    limit,
    extra,
    claim,
    sent,
    received,
    matches,
    blocked,
    reports,
    warnings,
  ] = await Promise.all([
    listWalletSessions(kv, member.wallet),
    listInvites(kv, member.wallet, clock),
    activeInviteLimit(kv, member.wallet),
    extraInviteAllowance(kv, member.wallet),
    getClaimByClaimant(kv, member.wallet),
    listSent(kv, member.wallet),
    listReceived(kv, member.wallet),
    listMutual(kv, member.wallet),
    listBlocked(kv, member.wallet),
    listReportsInvolving(kv, member.wallet),
    listWarnings(kv, member.wallet),
  ]);
  const live = sessions.filter((s) => s.revokedAt === null && now < s.expiresAt);
  return {
    ...memberSummary(member),
    invitedBy: claim ? { inviter: claim.inviter, claimedAt: claim.claimedAt } : null,
    profile: profile
      ? {
        id: profile.id,
        displayName: profile.displayName,
        age: ageOn(profile.dateOfBirth, now),
        university: profile.university,
        graduationYear: profile.graduationYear,
        vibeTags: profile.vibeTags,
        hidden: profile.hidden,
        photos: profile.photos.length,
        createdAt: profile.createdAt,
        updatedAt: profile.updatedAt,
      }
      : null,
    sessions: {
      live: live.length,
      lastSignInAt: Math.max(0, ...sessions.map((s) => s.createdAt)) || null,
      methods: [...new Set(live.map((s) => s.method))],
    },
    invites: {
      limit,
      extraGranted: extra,
      active: invites.filter((i) => i.status === "active").length,
      claimed: invites.filter((i) => i.status === "claimed").length,
      codes: invites.map(({ id, status, createdAt, expiresAt, claimedBy }) => ({
        id,
        status,
        createdAt,
        expiresAt,
        claimedBy,
      })),
    },
    signals: {
      sent: sent.length,
      pendingReceived: received.count,
      matches: matches.map(({ with: other, matchedAt }) => ({ with: other, matchedAt })),
    },
    blocked: blocked.length,
    reports: {
      about: reports.about.map(({ id, reporter, reason, text, status, createdAt, resolution }) => ({
        id,
        reporter,
        reason,
        text,
        status,
        createdAt,
        resolution,
      })),
      filed: reports.filed.length,
    },
    warnings: warnings.map(({ id, note, at, reportId }) => ({ id, note, at, reportId })),
  };
}

/** What an admin sees about one member. */
export type MemberOverview = Awaited<ReturnType<typeof memberOverview>>;

/** Outcome of a suspension change. */
export interface SuspensionChange {
  member: Member;
  /** False when the member already was in the asked state. */
  changed: boolean;
  /** Sessions removed (suspension) or that would be removed (dry run). */
  sessionsRevoked: number;
  dryRun: boolean;
}

/**
 * Suspends a member and removes every session of theirs; a dry run changes nothing and says what
 * would happen. NotFoundError `member_not_found`.
 */
export async function suspendMember(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  options: { reason?: string; dryRun?: boolean } = {},
): Promise<SuspensionChange> {
  const key = normalizeWallet(wallet);
  if (options.dryRun) {
    const member = await getMember(kv, key);
    if (!member) throw new NotFoundError("member_not_found", `No member ${key}.`);
    const sessions = await listWalletSessions(kv, key);
    return { member, changed: !member.suspension, sessionsRevoked: sessions.length, dryRun: true };
  }
  const { member, changed } = await setSuspension(kv, clock, key, options.reason ?? "");
  // After the record: a sign-in racing this commit is refused by the session check instead.
  const sessionsRevoked = await deleteWalletSessions(kv, key);
  return { member, changed, sessionsRevoked, dryRun: false };
}

/** Lifts a member's suspension (a dry run only reports). NotFoundError `member_not_found`. */
export async function unsuspendMember(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  options: { dryRun?: boolean } = {},
): Promise<SuspensionChange> {
  const key = normalizeWallet(wallet);
  if (options.dryRun) {
    const member = await getMember(kv, key);
    if (!member) throw new NotFoundError("member_not_found", `No member ${key}.`);
    return { member, changed: member.suspension !== null, sessionsRevoked: 0, dryRun: true };
  }
  const { member, changed } = await setSuspension(kv, clock, key, null);
  return { member, changed, sessionsRevoked: 0, dryRun: false };
}
