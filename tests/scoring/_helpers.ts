/** Fixtures for the scoring tests: the real app, members with profiles, real face photos over HTTP. */
import assert from "node:assert/strict";
import { DEMO_DIR } from "@/tests/ml/_images.ts";
import { analyzePhoto, mlInternals } from "@/ml-wasm/mod.ts";
import { mainPhotoProblem } from "@/core/profiles/mod.ts";
import { profilesApp, type TestApp } from "@/tests/profiles_http/_helpers.ts";
import { as, call, memberWithProfile, type TestMember } from "@/tests/social_http/_helpers.ts";
import type { AppDepsInput } from "@/server/app.ts";

export { call, memberWithProfile, type TestApp };

/** A member with a profile. */
export type Member = TestMember & { profileId: string };

/** Runs `body` with a fresh app (closing its ML pool, vector store, store and KV afterwards). */
export async function withScoringApp(
  body: (t: TestApp) => Promise<void>,
  deps: Partial<AppDepsInput> = {},
): Promise<void> {
  const t = await profilesApp({}, deps);
  try {
    await body(t);
  } finally {
    await t.close();
  }
}

const demos = new Map<number, Uint8Array>();

/**
 * A real face photo from the face-api demo photo `sample{n}.jpg`: a square portrait around its
 * largest face, cut close enough to show only that face, so it is accepted as a main photo (most
 * demo photos are group photos).
 */
export async function demoPhoto(n: number): Promise<Uint8Array> {
  if (!demos.has(n)) demos.set(n, await portrait(n));
  return demos.get(n)!;
}

async function portrait(n: number): Promise<Uint8Array> {
  const bytes = await Deno.readFile(new URL(`sample${n}.jpg`, DEMO_DIR));
  const { faces } = await analyzePhoto(bytes);
  const img = await mlInternals.decodeRgb(bytes);
  const largestFirst = [...faces].sort((a, b) => b.width * b.height - a.width * a.height);
  for (const face of largestFirst) {
    for (const zoom of [2, 1.6, 1.3]) {
      const side = Math.min(
        img.width,
        img.height,
        Math.round(zoom * Math.max(face.width, face.height)),
      );
      const left = Math.max(
        0,
        Math.min(img.width - side, Math.round(face.x + face.width / 2 - side / 2)),
      );
      const top = Math.max(
        0,
        Math.min(img.height - side, Math.round(face.y + face.height / 2 - side / 2)),
      );
      const data = new Uint8Array(side * side * 3);
      for (let y = 0; y < side; y++) {
        const from = ((top + y) * img.width + left) * 3;
        data.set(img.data.subarray(from, from + side * 3), y * side * 3);
      }
      const jpeg = await mlInternals.encodeJpeg(data, side, side, 90);
      const judged = await analyzePhoto(jpeg);
      if (judged.faces.length && !mainPhotoProblem(judged.faces, judged.width, judged.height)) {
        return jpeg;
      }
    }
  }
  throw new Error(`no one-face portrait in sample${n}.jpg`);
}

/** Uploads `bytes` to the member's profile over HTTP and returns the new photo's id. */
export async function upload(t: TestApp, member: Member, bytes: Uint8Array): Promise<string> {
  const res = await t.fetch(
    `/api/profiles/${member.profileId}/photos`,
    as(member, {
      method: "POST",
      headers: { "content-type": "image/jpeg" },
      body: bytes as Uint8Array<ArrayBuffer>,
    }),
  );
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text).photo.id;
}

/** Scores one photo over HTTP. */
export const score = (t: TestApp, member: Member, photoId: unknown) =>
  call(t, "POST", "/api/attractiveness/score", member, { photoId });

/** Every KV key (as JSON) with its versionstamp, minus the session records reads may touch. */
export async function kvSnapshot(kv: Deno.Kv): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for await (const entry of kv.list({ prefix: [] })) {
    if (entry.key[0] === "sessions") continue;
    all.set(
      JSON.stringify(entry.key, (_, v) => typeof v === "bigint" ? String(v) : v),
      entry.versionstamp,
    );
  }
  return all;
}

/** Keys under `prefix`. */
export async function keysUnder(kv: Deno.Kv, prefix: Deno.KvKey): Promise<Deno.KvKey[]> {
  const keys: Deno.KvKey[] = [];
  for await (const entry of kv.list({ prefix })) keys.push(entry.key);
  return keys;
}

/** The histogram's counts by bucket and their total. */
export async function histogram(
  kv: Deno.Kv,
): Promise<{ counts: Map<number, number>; total: number }> {
  const counts = new Map<number, number>();
  let total = 0;
  for await (const entry of kv.list<Deno.KvU64>({ prefix: ["score_histogram"] })) {
    const n = Number(entry.value.value);
    if (n > 0) counts.set(entry.key[1] as number, n);
    total += n;
  }
  return { counts, total };
}
