/**
 * The community refit: the score model learned from this circle's own feedback.
 *
 * Pairs: a viewer's signal to a member beats that viewer's pass on another member; the two
 * members' main photos (the card photo) are compared by their stored features. When the viewer's
 * kept impressions show both on one page, only such same-page pairs of that viewer are used;
 * otherwise all of the viewer's (signalled, passed) pairs. Only the model's photo features enter —
 * never a profile field, a protected or a purchasable attribute.
 *
 * A fit (`fitPreferences`) on the training pairs gives a candidate model `community-YYYYMMDD-N`.
 * It replaces `["scoring_model"]` only when its accuracy on the held-out pairs (a fixed hash split)
 * beats the current model's on the same pairs (the documented prior when none is stored). Then each
 * compared photo's offset `["photo_offset", photoId]` is rewritten under the model now current:
 * (wins − expected wins) / Σ p(1 − p) — one Newton step of the photo's own Bradley–Terry offset,
 * in logits, clamped to ±3 — with its number of comparisons; scoring shrinks it by n / (n + k).
 * Offsets of photos no longer compared are removed.
 *
 * Runs daily from the queue: `["jobs", "scoring_refit", day]` makes one run per UTC day across
 * instances (see `server/background/jobs.ts`); `ml:refit` runs it now.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { getMany } from "@/core/kv.ts";
import {
  isAllowedInput,
  listAllImpressions,
  listAllPasses,
  preferenceLogit,
} from "@/core/discovery/mod.ts";
import { profileRecordSchema } from "@/core/profiles/mod.ts";
import { dayKeyFor, listAllSignals } from "@/core/social/mod.ts";
import type { FitOptions, FitResult, ModelWeights, PreferencePair } from "@/ml-wasm/mod.ts";
import { photoAnalysisKey, photoAnalysisSchema } from "./photo_analysis.ts";
import { photoOffsetKey, photoOffsetSchema, scoringModelKey } from "./score_records.ts";
import { currentModel } from "./scores.ts";

/** The ML calls the refit uses (`ml-wasm/mod.ts` and its worker pool satisfy it). */
export interface RefitMl {
  defaultModel(): Promise<ModelWeights>;
  fitPreferences(pairs: PreferencePair[], options?: FitOptions): Promise<FitResult>;
}

/** What the refit needs. */
export interface RefitDeps {
  kv: Deno.Kv;
  clock: Clock;
  ml: RefitMl;
}

/** Options of {@link refitCommunityModel}. */
export const refitOptionsSchema = z.object({
  /** Compute and report, write nothing. */
  dryRun: z.boolean().default(false),
  /** Share of pairs held out to compare the candidate with the current model. */
  holdout: z.number().min(0.05).max(0.5).default(0.2),
  /** L2 penalty of the fit. */
  l2: z.number().positive().max(1000).default(1),
  /** Fewest pairs for a fit (fewer: the model is kept, offsets still follow the current one). */
  minPairs: z.number().int().min(2).default(30),
});
/** Options of {@link refitCommunityModel}. */
export type RefitOptions = z.input<typeof refitOptionsSchema>;

/** Most signalled and passed profiles per viewer a refit uses (the newest). */
const MAX_PER_VIEWER = 50;
/** Bound of a stored offset, in logits. */
const MAX_OFFSET = 3;
/** Offsets written per commit. */
const OFFSET_BATCH = 50;

/** One comparison: `viewer` preferred the member of photo `winner` to that of photo `loser`. */
export interface Comparison {
  viewer: string;
  winner: string;
  loser: string;
  kind: "page" | "viewer";
}

/** What a refit did (or, with `dryRun`, would do). */
export interface RefitReport {
  dryRun: boolean;
  viewers: number;
  photos: number;
  pairs: number;
  samePagePairs: number;
  sameViewerPairs: number;
  trainPairs: number;
  heldOutPairs: number;
  /** Held-out accuracy of the model current before the run (null without held-out pairs). */
  accuracyBefore: number | null;
  /** Held-out accuracy of the candidate (null when nothing was fitted). */
  accuracyAfter: number | null;
  previousVersion: string;
  candidateVersion: string | null;
  /** The model current after the run. */
  version: string;
  outcome: "stored" | "kept";
  reason: string;
  /** Offsets written (or that would be), and removed. */
  offsetsWritten: number;
  offsetsRemoved: number;
}

/** The photo features of the model's inputs only (nothing else reaches a fit). */
function inputsOf(model: ModelWeights, features: Record<string, number>) {
  const picked: Record<string, number> = {};
  for (const { name } of model.features) {
    if (Number.isFinite(features[name])) picked[name] = features[name];
  }
  return picked;
}

/** FNV-1a of a string: the stable held-out split. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** True when the comparison belongs to the held-out share. */
export function isHeldOut(c: Comparison, share: number): boolean {
  return hash(`${c.viewer}|${c.winner}|${c.loser}`) % 10_000 < share * 10_000;
}

/**
 * The circle's comparisons and the features of the photos they name: signals (winners) against
 * passes (losers) of the same viewer, on the same page where the viewer's impressions show one.
 */
export async function collectComparisons(
  kv: Deno.Kv,
  now: number,
): Promise<{ comparisons: Comparison[]; features: Map<string, Record<string, number>> }> {
  const mainPhoto = new Map<string, string>();
  const profileOfWallet = new Map<string, string>();
  for await (const entry of kv.list({ prefix: ["profiles"] }, { batchSize: 500 })) {
    const profile = profileRecordSchema.parse(entry.value);
    profileOfWallet.set(profile.wallet, profile.id);
    if (profile.photos[0]) mainPhoto.set(profile.id, profile.photos[0].id);
  }
  const [signals, passes, pages] = await Promise.all([
    listAllSignals(kv),
    listAllPasses(kv, now),
    listAllImpressions(kv),
  ]);
  const byViewer = new Map<string, { signalled: [string, number][]; passed: [string, number][] }>();
  const slot = (viewer: string) => {
    let s = byViewer.get(viewer);
    if (!s) byViewer.set(viewer, s = { signalled: [], passed: [] });
    return s;
  };
  for (const signal of signals) {
    const target = profileOfWallet.get(signal.to);
    if (target) slot(signal.from).signalled.push([target, signal.sentAt]);
  }
  for (const pass of passes) slot(pass.viewer).passed.push([pass.profileId, pass.passedAt]);
  const pagesOf = new Map<string, Set<string>[]>();
  for (const page of pages) {
    if (!byViewer.has(page.viewer)) continue;
    const list = pagesOf.get(page.viewer) ?? [];
    list.push(new Set(page.profileIds));
    pagesOf.set(page.viewer, list);
  }

  const newest = (items: [string, number][]) =>
    [...new Map(items.sort((a, b) => b[1] - a[1]).map(([id]) => [id, true])).keys()]
      .slice(0, MAX_PER_VIEWER);
  const candidates: Comparison[] = [];
  for (const [viewer, { signalled, passed }] of byViewer) {
    const winners = newest(signalled), losers = newest(passed);
    const onPages = pagesOf.get(viewer) ?? [];
    const all: { w: string; l: string; page: boolean }[] = [];
    for (const w of winners) {
      for (const l of losers) {
        if (w === l || !mainPhoto.has(w) || !mainPhoto.has(l)) continue;
        all.push({ w, l, page: onPages.some((p) => p.has(w) && p.has(l)) });
      }
    }
    const samePage = all.filter((p) => p.page);
    const kind = samePage.length ? "page" : "viewer";
    for (const p of samePage.length ? samePage : all) {
      candidates.push({ viewer, winner: mainPhoto.get(p.w)!, loser: mainPhoto.get(p.l)!, kind });
    }
  }

  const photoIds = [...new Set(candidates.flatMap((c) => [c.winner, c.loser]))];
  const entries = await getMany(kv, photoIds.map(photoAnalysisKey));
  const features = new Map<string, Record<string, number>>();
  entries.forEach((entry, i) => {
    if (entry.versionstamp !== null) {
      features.set(photoIds[i], photoAnalysisSchema.parse(entry.value).features);
    }
  });
  const comparisons = candidates.filter((c) => features.has(c.winner) && features.has(c.loser));
  return { comparisons, features };
}

/** Share of comparisons the model orders right (a tie counts half); null when there are none. */
export function pairAccuracy(
  model: Pick<ModelWeights, "features">,
  comparisons: readonly Comparison[],
  features: ReadonlyMap<string, Record<string, number>>,
): number | null {
  if (comparisons.length === 0) return null;
  let right = 0;
  for (const c of comparisons) {
    const d = preferenceLogit(model, features.get(c.winner)!) -
      preferenceLogit(model, features.get(c.loser)!);
    right += d > 0 ? 1 : d === 0 ? 0.5 : 0;
  }
  return right / comparisons.length;
}

/** The next community version of the UTC day of `now`, after `previous`. */
export function nextCommunityVersion(previous: string, now: number): string {
  const day = dayKeyFor(now).replaceAll("-", "");
  const match = /^community-(\d{8})-(\d+)$/.exec(previous);
  const n = match && match[1] === day ? Number(match[2]) + 1 : 1;
  return `community-${day}-${n}`;
}

/**
 * Each compared photo's offset under `model`: (wins − expected) / Σ p(1 − p), clamped to ±3
 * logits, with its comparisons.
 */
export function photoOffsets(
  model: Pick<ModelWeights, "features">,
  comparisons: readonly Comparison[],
  features: ReadonlyMap<string, Record<string, number>>,
): Map<string, { offset: number; comparisons: number }> {
  const logit = new Map<string, number>();
  for (const [id, f] of features) logit.set(id, preferenceLogit(model, f));
  const sums = new Map<string, { residual: number; information: number; n: number }>();
  const add = (id: string, won: number, p: number) => {
    const s = sums.get(id) ?? { residual: 0, information: 0, n: 0 };
    s.residual += won - p;
    s.information += p * (1 - p);
    s.n++;
    sums.set(id, s);
  };
  for (const c of comparisons) {
    const p = 1 / (1 + Math.exp(-(logit.get(c.winner)! - logit.get(c.loser)!)));
    add(c.winner, 1, p);
    add(c.loser, 0, 1 - p);
  }
  const offsets = new Map<string, { offset: number; comparisons: number }>();
  for (const [id, s] of sums) {
    const raw = s.residual / Math.max(s.information, 1e-6);
    offsets.set(id, {
      offset: Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET, raw)),
      comparisons: s.n,
    });
  }
  return offsets;
}

/** Writes the offsets (each checked against its photo's analysis) and removes the others. */
async function writeOffsets(
  kv: Deno.Kv,
  offsets: Map<string, { offset: number; comparisons: number }>,
): Promise<{ written: number; removed: number }> {
  let written = 0, removed = 0;
  const ids = [...offsets.keys()];
  for (let i = 0; i < ids.length; i += OFFSET_BATCH) {
    const batch = ids.slice(i, i + OFFSET_BATCH);
    for (let attempt = 0; attempt < 5; attempt++) {
      const analyses = await getMany(kv, batch.map(photoAnalysisKey));
      const op = kv.atomic();
      let n = 0;
      analyses.forEach((entry, k) => {
        if (entry.versionstamp === null) return; // deleted since: no offset for a gone photo
        op.check({ key: entry.key, versionstamp: entry.versionstamp })
          .set(photoOffsetKey(batch[k]), photoOffsetSchema.parse(offsets.get(batch[k])));
        n++;
      });
      if ((await op.commit()).ok) {
        written += n;
        break;
      }
    }
  }
  for await (const entry of kv.list({ prefix: ["photo_offset"] }, { batchSize: 500 })) {
    if (offsets.has(String(entry.key[1]))) continue;
    if ((await kv.atomic().check(entry).delete(entry.key).commit()).ok) removed++;
  }
  return { written, removed };
}

/** Offsets `writeOffsets` would remove. */
async function staleOffsets(kv: Deno.Kv, keep: ReadonlyMap<string, unknown>): Promise<number> {
  let n = 0;
  for await (const entry of kv.list({ prefix: ["photo_offset"] }, { batchSize: 500 })) {
    if (!keep.has(String(entry.key[1]))) n++;
  }
  return n;
}

/** Refits the community model and the photos' offsets (see the module header). */
export async function refitCommunityModel(
  deps: RefitDeps,
  input: RefitOptions = {},
): Promise<RefitReport> {
  const options = refitOptionsSchema.parse(input);
  const now = deps.clock.now();
  const { comparisons, features } = await collectComparisons(deps.kv, now);
  const stored = await deps.kv.get(scoringModelKey);
  const current = await currentModel(deps);
  const heldOut = comparisons.filter((c) => isHeldOut(c, options.holdout));
  const train = comparisons.filter((c) => !isHeldOut(c, options.holdout));
  const report: RefitReport = {
    dryRun: options.dryRun,
    viewers: new Set(comparisons.map((c) => c.viewer)).size,
    photos: new Set(comparisons.flatMap((c) => [c.winner, c.loser])).size,
    pairs: comparisons.length,
    samePagePairs: comparisons.filter((c) => c.kind === "page").length,
    sameViewerPairs: comparisons.filter((c) => c.kind === "viewer").length,
    trainPairs: train.length,
    heldOutPairs: heldOut.length,
    accuracyBefore: pairAccuracy(current, heldOut, features),
    accuracyAfter: null,
    previousVersion: current.version,
    candidateVersion: null,
    version: current.version,
    outcome: "kept",
    reason: "",
    offsetsWritten: 0,
    offsetsRemoved: 0,
  };

  let model = current;
  if (comparisons.length < options.minPairs || heldOut.length === 0 || train.length === 0) {
    report.reason =
      `too few pairs (${comparisons.length}, ${heldOut.length} held out; need ${options.minPairs})`;
  } else {
    const base = await deps.ml.defaultModel();
    const refused = base.features.filter((f) => !isAllowedInput(f.name));
    if (refused.length) throw new Error(`refused model inputs: ${refused.map((f) => f.name)}`);
    const pairs = train.map((c) => ({
      winner: inputsOf(base, features.get(c.winner)!),
      loser: inputsOf(base, features.get(c.loser)!),
    }));
    const fit = await deps.ml.fitPreferences(pairs, {
      model: base,
      l2: options.l2,
      holdout: 0,
      seed: 1,
    });
    const candidate: ModelWeights = {
      ...fit.model,
      version: nextCommunityVersion(current.version, now),
    };
    report.candidateVersion = candidate.version;
    report.accuracyAfter = pairAccuracy(candidate, heldOut, features);
    const before = report.accuracyBefore ?? 0, after = report.accuracyAfter ?? 0;
    if (after > before) {
      model = candidate;
      report.outcome = "stored";
      report.reason = `held-out accuracy ${after.toFixed(3)} > ${before.toFixed(3)}`;
    } else {
      report.reason = `held-out accuracy ${after.toFixed(3)} does not beat ${before.toFixed(3)}`;
    }
  }

  const offsets = photoOffsets(model, comparisons, features);
  if (options.dryRun) {
    report.version = model.version;
    report.offsetsWritten = offsets.size;
    report.offsetsRemoved = await staleOffsets(deps.kv, offsets);
    return report;
  }
  if (model !== current) {
    const result = await deps.kv.atomic()
      .check({ key: scoringModelKey, versionstamp: stored.versionstamp })
      .set(scoringModelKey, model)
      .commit();
    if (!result.ok) {
      model = await currentModel(deps);
      report.outcome = "kept";
      report.reason = "another refit stored a model meanwhile";
    }
  }
  report.version = model.version;
  const done = await writeOffsets(deps.kv, photoOffsets(model, comparisons, features));
  report.offsetsWritten = done.written;
  report.offsetsRemoved = done.removed;
  return report;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Minutes past 00:00 UTC of the daily refit: 04:23, after the daily clean-up. */
export const REFIT_RUN_MINUTE = 4 * 60 + 23;
/** The queue message of one day's refit. */
export const refitRunMessage = z.object({ type: z.literal("scoring_refit"), day: z.string() });

/** Enqueues the refit of `day` once across instances (`delayMs` from now). */
export async function scheduleRefitRun(
  deps: Pick<RefitDeps, "kv" | "clock">,
  day: string,
  delayMs = 0,
): Promise<boolean> {
  const key: Deno.KvKey = ["jobs", "scoring_refit", day];
  const result = await deps.kv.atomic()
    .check({ key, versionstamp: null })
    .set(key, { scheduledAt: deps.clock.now() }, { expireIn: 3 * DAY_MS })
    .enqueue({ type: "scoring_refit", day }, { delay: delayMs })
    .commit();
  return result.ok;
}

/** The next daily refit time after `now`: its UTC day and the delay to it. */
export function untilNextRefitRun(now: number): { day: string; delayMs: number } {
  const start = Math.floor(now / DAY_MS) * DAY_MS + REFIT_RUN_MINUTE * 60_000;
  const at = start > now ? start : start + DAY_MS;
  return { day: dayKeyFor(at), delayMs: at - now };
}
