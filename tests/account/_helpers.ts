/** Fixtures for the account tests: two members who did everything together, and a full KV dump. */
import {
  createInvite,
  redeemInvite,
  reportMember,
  sendMessage,
  sendSignal,
  warnMember,
} from "@/core/social/mod.ts";
import { claimTicket } from "@/core/events/mod.ts";
import { getMember } from "@/core/members.ts";
import type { ManualClock } from "@/core/clock.ts";
import { makeEvent } from "@/tests/events/helpers.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";
import {
  as,
  createProfileOver,
  newMember,
  type TestApp,
  type TestMember,
} from "@/tests/profiles_http/_helpers.ts";
import { newSeeker } from "@/tests/social_http/_helpers.ts";

/** A member of the fixture, with their profile, photo and nullifier. */
export interface Actor extends TestMember {
  profileId: string;
  photoIds: string[];
  nullifier: string;
}

let jpeg: Uint8Array | null = null;

async function uploadPhoto(t: TestApp, member: TestMember, profileId: string): Promise<string> {
  jpeg ??= await plainJpeg(await uprightPhoto());
  const form = new FormData();
  form.set("photo", new File([jpeg as Uint8Array<ArrayBuffer>], "me.jpg", { type: "image/jpeg" }));
  const res = await t.fetch(
    `/api/profiles/${profileId}/photos`,
    as(member, { method: "POST", body: form }),
  );
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return (await res.json()).photo.id;
}

async function actor(t: TestApp, name: string): Promise<Actor> {
  const member = await newMember(t);
  const profile = await createProfileOver(t, member, { displayName: name });
  const photoIds = [await uploadPhoto(t, member, profile.id)];
  const record = await getMember(t.app.deps.kv, member.wallet);
  return { ...member, profileId: profile.id, photoIds, nullifier: record!.worldId!.nullifierHash };
}

/**
 * Ada and Bo, fully entangled: profiles with a photo each, a match with a message each way, a third member's pending signal
 * to Ada, invites (one of Ada's redeemed by a newcomer, one not; one of Bo's), a ticket each to the
 * same event, a report each way, a warning to Ada.
 */
export async function entangled(t: TestApp) {
  const { kv, clock } = t.app.deps;
  const ada = await actor(t, "Ada");
  const bo = await actor(t, "Bo");
  const cy = await actor(t, "Cy");
  await sendSignal(kv, clock, { from: ada.wallet, to: bo.wallet });
  const { match } = await sendSignal(kv, clock, { from: bo.wallet, to: ada.wallet });
  for (const [from, text] of [[ada, "Hello Bo"], [bo, "Hello Ada"]] as const) {
    await sendMessage(kv, clock, {
      from: from.wallet,
      matchId: match!.pairId,
      text,
      clientKey: crypto.randomUUID(),
    });
  }
  await sendSignal(kv, clock, { from: cy.wallet, to: ada.wallet });
  const used = await createInvite(kv, clock, ada.wallet);
  await createInvite(kv, clock, ada.wallet);
  await createInvite(kv, clock, bo.wallet);
  const newcomer = await newSeeker(kv, clock);
  await redeemInvite(kv, clock, {
    code: used.code,
    claimantWallet: newcomer.wallet,
    ipHash: "a".repeat(64),
  });
  const event = await makeEvent(kv, clock as ManualClock);
  await claimTicket(kv, clock, {
    eventId: event.id,
    wallet: ada.wallet,
    idempotencyKey: "ada-ticket-1",
  });
  await claimTicket(kv, clock, {
    eventId: event.id,
    wallet: bo.wallet,
    idempotencyKey: "bo-ticket-1",
  });
  await reportMember(kv, clock, {
    reporter: ada.wallet,
    reported: bo.wallet,
    reason: "spam",
    text: "",
  });
  await reportMember(kv, clock, {
    reporter: bo.wallet,
    reported: ada.wallet,
    reason: "other",
    text: "",
  });
  await warnMember(kv, clock, { wallet: ada.wallet, note: "Be kind." });
  return { ada, bo, cy, newcomer, event };
}

function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (typeof v === "bigint") return `${v}n`;
    if (v instanceof Deno.KvU64) return `${v.value}u64`;
    if (v instanceof Uint8Array) return Array.from(v).join(",");
    return v;
  });
}

/** Every KV entry as `key JSON → value JSON`. */
export async function dumpKv(kv: Deno.Kv): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for await (const entry of kv.list({ prefix: [] })) {
    entries.set(encode(entry.key), encode(entry.value));
  }
  return entries;
}

/** The entries (key or value) that mention any of `needles`, case-insensitively. */
export function mentioning(dump: Map<string, string>, needles: string[]): string[] {
  const lower = needles.map((n) => n.toLowerCase());
  return [...dump].filter(([key, value]) => {
    const text = `${key} ${value}`.toLowerCase();
    return lower.some((needle) => text.includes(needle));
  }).map(([key]) => key);
}
