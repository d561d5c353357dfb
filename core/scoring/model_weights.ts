/** The stored shape of the scoring model's weights (shared by scoring and discovery; no imports). */
import { z } from "zod";

/** Versioned linear model weights as stored (the ML core's `ModelWeights`). */
export const modelWeightsSchema = z.object({
  version: z.string().min(1),
  points: z.number().optional(),
  shrink: z.number().optional(),
  features: z.array(z.object({
    name: z.string(),
    group: z.string().optional(),
    weight: z.number(),
    mean: z.number(),
    sd: z.number(),
  })),
});
