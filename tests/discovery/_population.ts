/** Synthetic discovery populations: admitted members with profiles and analysed main photos. */
import { bindNullifier, grantMembership } from "@/core/members.ts";
import type { ManualClock } from "@/core/clock.ts";
import { createProfile, type Profile, profileKey, VIBE_TAGS } from "@/core/profiles/mod.ts";
import { type PhotoAnalysis, setPhotoAnalysis } from "@/core/scoring/photo_analysis.ts";
import { ulid } from "@/core/ulid.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";

/** A seeded PRNG (mulberry32) in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw clipped to ±2.9 (sum of six uniforms). */
export function normal(r: () => number): number {
  const x = (r() + r() + r() + r() + r() + r() - 3) * Math.SQRT2;
  return Math.max(-2.9, Math.min(2.9, x));
}

/** The prior model's features (name, mean, sd) the synthetic photos are drawn around. */
export type FeatureSpec = { name: string; mean: number; sd: number }[];

/** A synthetic member: wallet, profile and the standardised features of the main photo. */
export interface SimMember {
  wallet: string;
  profile: Profile;
  /** z of each feature of the main photo. */
  z: Record<string, number>;
}

const UNIVERSITIES = ["Imperial College London", "ETH Zurich", "Sorbonne", "TU Delft", "KTH"];

let walletSeq = 0;

/** Creates `count` admitted members with a profile and one analysed photo each. */
export async function createPopulation(
  kv: Deno.Kv,
  clock: ManualClock,
  spec: FeatureSpec,
  count: number,
  r: () => number,
): Promise<SimMember[]> {
  const members: SimMember[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++walletSeq;
    const wallet = `0x${n.toString(16).padStart(8, "0")}${"d15c".repeat(8)}`;
    await bindNullifier(kv, clock, wallet, {
      nullifierHash: `0x${n.toString(16).padStart(64, "0")}`,
      verificationLevel: "orb",
    });
    await grantMembership(kv, clock, wallet, { via: "gate_nft" });
    const tags = [...VIBE_TAGS].sort(() => r() - 0.5).slice(0, 3);
    const created = await createProfile(
      { kv, clock },
      wallet,
      validInput({
        displayName: `Member ${n}`,
        university: UNIVERSITIES[Math.floor(r() * UNIVERSITIES.length)],
        vibeTags: tags,
        contactHandle: null,
      }),
    );
    const z: Record<string, number> = {};
    const features: Record<string, number> = {};
    for (const f of spec) {
      z[f.name] = normal(r);
      features[f.name] = f.mean + z[f.name] * f.sd;
    }
    const photoId = ulid(clock);
    const side = { width: 640, height: 800 };
    const profile: Profile = {
      ...created,
      photos: [{
        id: photoId,
        createdAt: clock.now(),
        ...side,
        renditions: { full: side, card: side, thumb: { width: 160, height: 200 } },
        soloFace: true,
      }],
    };
    const analysis: PhotoAnalysis = {
      photoId,
      profileId: profile.id,
      features,
      flags: [],
      faceCount: 1,
      embedding: {
        scale: 1,
        values: Array.from({ length: 256 }, () => Math.round((r() - 0.5) * 200)),
      },
      analyzedAt: clock.now(),
    };
    const op = kv.atomic().set(profileKey(profile.id), profile);
    setPhotoAnalysis(op, analysis);
    await op.commit();
    members.push({ wallet, profile, z });
  }
  return members;
}

/** Spearman rank correlation (no ties expected). */
export function spearman(a: number[], b: number[]): number {
  const ranks = (v: number[]) => {
    const order = v.map((x, i) => [x, i]).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const ra = ranks(a), rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((s, x, i) => s + (x - rb[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Gini coefficient of non-negative counts (0: all equal; 1: one has everything). */
export function gini(counts: number[]): number {
  const sorted = [...counts].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((s, x) => s + x, 0);
  if (total === 0) return 0;
  const weighted = sorted.reduce((s, x, i) => s + (i + 1) * x, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}
