/**
 * A viewer's preference model: a Bradley–Terry model on the photo features of the profiles they
 * signalled (winners) against those they were shown and passed (losers), fitted by the ML core's
 * `fitPreferences` from the prior model's feature list. Only photo features are inputs — never a
 * protected or purchasable attribute; "who I want to meet" is a filter, not a weight.
 *   ["discovery_models", wallet] → { model, feedback, pairs, trainAccuracy, fittedAt }
 * The model is fitted again once {@link REFIT_AFTER} new signals or passes have arrived.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { modelWeightsSchema } from "@/core/scoring/model_weights.ts";
import type { FitOptions, FitResult, ModelWeights, PreferencePair } from "@/ml-wasm/mod.ts";

/** The ML calls the preference model uses (`ml-wasm/mod.ts` and its worker pool satisfy it). */
export interface PreferenceMl {
  defaultModel(): Promise<ModelWeights>;
  fitPreferences(pairs: PreferencePair[], options?: FitOptions): Promise<FitResult>;
}

/** What fitting and reading the model needs. */
export interface PreferenceDeps {
  kv: Deno.Kv;
  clock: Clock;
  ml: PreferenceMl;
}

/** Fewest signals, and fewest passes, before a model is fitted (cold start until then). */
export const MIN_SIGNALS = 2;
/** See {@link MIN_SIGNALS}. */
export const MIN_PASSES = 2;
/** New feedback (signals + passes) that triggers a refit. */
export const REFIT_AFTER = 5;
/** Most winners and losers a fit uses (the newest). */
const MAX_WINNERS = 100;
const MAX_LOSERS = 100;

/**
 * Words no model input may contain: protected or purchasable attributes (and the wallet). The
 * prior's photo features contain none; a model naming one is refused.
 */
export const FORBIDDEN_INPUTS = [
  "gender",
  "sex",
  "ethnic",
  "race",
  "skin",
  "religion",
  "age",
  "universit",
  "wallet",
  "nft",
  "payment",
  "paid",
  "ticket",
] as const;

/** True when a feature name is an allowed model input. */
export function isAllowedInput(name: string): boolean {
  const lower = name.toLowerCase();
  return !FORBIDDEN_INPUTS.some((word) => lower.includes(word));
}

const storedSchema = z.object({
  model: modelWeightsSchema,
  feedback: z.number().int(),
  pairs: z.number().int(),
  trainAccuracy: z.number(),
  fittedAt: z.number().int(),
});
/** A stored preference model. */
export type StoredPreferenceModel = z.infer<typeof storedSchema>;

const modelKey = (wallet: string): Deno.KvKey => ["discovery_models", wallet];

/** The viewer's stored model, or null. */
export async function readPreferenceModel(
  kv: Deno.Kv,
  wallet: string,
): Promise<StoredPreferenceModel | null> {
  const entry = await kv.get(modelKey(wallet));
  return entry.versionstamp === null ? null : storedSchema.parse(entry.value);
}

/** The prior model's inputs, each checked against {@link FORBIDDEN_INPUTS}. */
async function baseModel(ml: PreferenceMl): Promise<ModelWeights> {
  const prior = await ml.defaultModel();
  const refused = prior.features.filter((f) => !isAllowedInput(f.name));
  if (refused.length) throw new Error(`refused model inputs: ${refused.map((f) => f.name)}`);
  return prior;
}

/** Only the model's own inputs, so nothing else can reach a fit. */
function inputsOf(model: ModelWeights, features: Record<string, number>) {
  const picked: Record<string, number> = {};
  for (const { name } of model.features) {
    if (Number.isFinite(features[name])) picked[name] = features[name];
  }
  return picked;
}

/** Feedback the model learns from: features of signalled and of passed profiles, newest first. */
export interface Feedback {
  /** Signals and passes in total (what the refit threshold counts). */
  count: number;
  winners: Record<string, number>[];
  losers: Record<string, number>[];
}

/**
 * The viewer's model: the stored one, fitted again when {@link REFIT_AFTER} new feedback arrived
 * since; null while there is too little feedback (cold start).
 */
export async function preferenceModel(
  deps: PreferenceDeps,
  wallet: string,
  feedback: Feedback,
): Promise<StoredPreferenceModel | null> {
  const stored = await readPreferenceModel(deps.kv, wallet);
  if (stored && feedback.count < stored.feedback + REFIT_AFTER) return stored;
  if (feedback.winners.length < MIN_SIGNALS || feedback.losers.length < MIN_PASSES) return stored;
  const base = await baseModel(deps.ml);
  const winners = feedback.winners.slice(0, MAX_WINNERS).map((f) => inputsOf(base, f));
  const losers = feedback.losers.slice(0, MAX_LOSERS).map((f) => inputsOf(base, f));
  const pairs = winners.flatMap((winner) => losers.map((loser) => ({ winner, loser })));
  const fit = await deps.ml.fitPreferences(pairs, { model: base, l2: 1, holdout: 0, seed: 1 });
  const next: StoredPreferenceModel = {
    model: modelWeightsSchema.parse(fit.model),
    feedback: feedback.count,
    pairs: pairs.length,
    trainAccuracy: fit.trainAccuracy,
    fittedAt: deps.clock.now(),
  };
  await deps.kv.set(modelKey(wallet), next);
  return next;
}

/**
 * The model's logit for a photo's features: Σ weight × z, z standardised by the model and clamped
 * to ±3, a missing feature counting as average — the same arithmetic as the ML core's score
 * (`ml-wasm/src/model.rs`), done here because thousands of candidates are scored per request.
 */
export function preferenceLogit(
  model: Pick<ModelWeights, "features">,
  features: Record<string, number> | null,
): number {
  if (!features) return 0;
  let logit = 0;
  for (const f of model.features) {
    const x = features[f.name];
    if (!Number.isFinite(x)) continue;
    const z = Math.max(-3, Math.min(3, (x - f.mean) / (f.sd > 0 ? f.sd : 1)));
    logit += f.weight * z;
  }
  return logit;
}
