/**
 * Admin tool: prints the analysis and score of a photo as JSON.
 *
 *   deno task ml:analyze <file> [--model weights.json] [--embedding]
 */
import { analyzePhoto, initMl, MlError, type ModelWeights, scorePhoto } from "@/ml-wasm/mod.ts";

if (import.meta.main) {
  const args = [...Deno.args];
  const file = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--model");
  if (!file) {
    console.error("usage: deno task ml:analyze <file> [--model weights.json] [--embedding]");
    Deno.exit(2);
  }
  const modelIdx = args.indexOf("--model");
  const model: ModelWeights | null = modelIdx >= 0
    ? JSON.parse(await Deno.readTextFile(args[modelIdx + 1]))
    : null;
  try {
    await initMl();
    const started = performance.now();
    const analysis = await analyzePhoto(await Deno.readFile(file));
    const ms = performance.now() - started;
    const score = await scorePhoto(analysis, model);
    const embedding = args.includes("--embedding")
      ? analysis.embedding
      : { scale: analysis.embedding.scale, dims: analysis.embedding.values.length };
    console.log(
      JSON.stringify(
        { file, ms: +ms.toFixed(1), analysis: { ...analysis, embedding }, score },
        null,
        2,
      ),
    );
  } catch (e) {
    if (e instanceof MlError) {
      console.log(JSON.stringify({ file, error: { code: e.code, message: e.message } }, null, 2));
      Deno.exit(1);
    }
    throw e;
  }
}
