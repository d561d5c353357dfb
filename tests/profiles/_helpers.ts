/** Fixtures for the profile tests: admitted members, valid inputs, and a per-test world. */
import { createMemoryCache } from "@/core/cache/memory.ts";
import type { Cache } from "@/core/cache/types.ts";
import { createManualClock, type ManualClock, systemClock } from "@/core/clock.ts";
import { bindNullifier, grantMembership } from "@/core/members.ts";
import { createProfile, type Profile, profileKey } from "@/core/profiles/profiles.ts";
import { ulid } from "@/core/ulid.ts";
import { createFsObjectStore, type FsObjectStore } from "@/core/storage/fs.ts";

/** 2030-06-15T12:00:00Z: the tests' "now". */
export const NOW = Date.UTC(2030, 5, 15, 12);

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

/** A random lowercase wallet address. */
export const randomWallet = () => `0x${hex(20)}`;

/** Creates an admitted (World ID orb + gate NFT) member and returns its wallet. */
export async function admittedMember(kv: Deno.Kv, clock: ManualClock): Promise<string> {
  const wallet = randomWallet();
  await bindNullifier(kv, clock, wallet, {
    nullifierHash: `0x${hex(32)}`,
    verificationLevel: "orb",
  });
  await grantMembership(kv, clock, wallet, { via: "gate_nft" });
  return wallet;
}

/** A valid createProfile input, with `overrides` merged in. */
export function validInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    displayName: "Ada",
    dateOfBirth: "2005-03-02",
    university: "Imperial College London",
    graduationYear: 2031,
    gender: "woman",
    interestedIn: ["everyone"],
    city: "London",
    region: "europe",
    vibeTags: ["night_owl", "bookworm", "chess"],
    bio: "Compilers by day, tango by night.",
    prompts: [{ promptId: "secret_talent", answer: "Whistling in thirds." }],
    contactHandle: "@ada_l",
    ...overrides,
  };
}

/** Everything a profile test needs; `close` releases it. */
export interface World {
  kv: Deno.Kv;
  clock: ManualClock;
  cache: Cache;
  objects: FsObjectStore;
  root: string;
  close(): Promise<void>;
}

/** Opens a fresh `:memory:` KV, manual clock, memory cache and filesystem store in a temp dir. */
export async function openWorld(): Promise<World> {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(NOW);
  const cache = createMemoryCache({ clock });
  const root = await Deno.makeTempDir({ prefix: "aurum-profiles-" });
  const objects = createFsObjectStore({ root, signingKey: "k".repeat(40) }, { clock });
  return {
    kv,
    clock,
    cache,
    objects,
    root,
    async close() {
      kv.close();
      await cache.close();
      await objects.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Runs `body` in a fresh world and closes it afterwards. */
export async function withWorld(body: (world: World) => Promise<void>): Promise<void> {
  const world = await openWorld();
  try {
    await body(world);
  } finally {
    await world.close();
  }
}

/** Creates an admitted member with a profile built from `overrides`. */
export async function memberWithProfile(
  world: World,
  overrides: Record<string, unknown> = {},
): Promise<{ wallet: string; profile: Profile }> {
  const wallet = await admittedMember(world.kv, world.clock);
  const profile = await createProfile(world, wallet, validInput(overrides));
  return { wallet, profile };
}

/**
 * Records a main photo (one prominent face) on `profile` straight in KV, without objects: enough
 * for pages that only need the member to have one (the vault asks for it).
 */
export async function recordMainPhotoIn(kv: Deno.Kv, profile: Profile): Promise<void> {
  const side = { width: 640, height: 800 };
  const photo = {
    id: ulid(systemClock),
    createdAt: profile.createdAt,
    ...side,
    renditions: { full: side, card: side, thumb: { width: 160, height: 200 } },
    soloFace: true,
  };
  await kv.set(profileKey(profile.id), { ...profile, photos: [photo, ...profile.photos] });
}

/** Every object key in the store. */
export async function allKeys(world: World): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await world.objects.list("", { cursor });
    keys.push(...page.values.map((v) => v.key));
    cursor = page.cursor || undefined;
  } while (cursor);
  return keys;
}
