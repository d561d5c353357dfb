import type { PhotoScore } from "@/core/scoring/mod.ts";
import { dayWords, points } from "./score_words.ts";

/** Props of {@link ScoreHistory}. */
export interface ScoreHistoryProps {
  /** Every scoring of one photo, oldest first. */
  history: Pick<PhotoScore, "score" | "scoredAt" | "modelVersion">[];
}

const WIDTH = 240;
const HEIGHT = 56;
const PAD = 6;

/** Consecutive runs of scorings made by one model version. */
function runsByVersion(history: ScoreHistoryProps["history"]) {
  const runs: { version: string; from: number; to: number }[] = [];
  history.forEach((entry, i) => {
    const last = runs.at(-1);
    if (last && last.version === entry.modelVersion) last.to = i;
    else runs.push({ version: entry.modelVersion, from: i, to: i });
  });
  return runs;
}

/**
 * A photo's scores over time as a sparkline drawn on the server. Scores made by different versions
 * of the scoring are not joined: each version has its own line, and a dashed rule marks the change.
 */
export function ScoreHistory({ history }: ScoreHistoryProps) {
  if (history.length === 0) return null;
  const scores = history.map((h) => h.score);
  const lo = Math.max(0, Math.min(...scores) - 10);
  const hi = Math.min(100, Math.max(...scores) + 10);
  const x = (i: number) =>
    history.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (history.length - 1);
  const y = (score: number) => PAD + ((hi - score) * (HEIGHT - 2 * PAD)) / Math.max(1, hi - lo);
  const runs = runsByVersion(history);
  const first = history[0];
  const last = history[history.length - 1];
  const summary = history.length === 1
    ? `Scored once, on ${dayWords(first.scoredAt)}: ${points(first.score)}.`
    : `Scored ${history.length} times, from ${points(first.score)} on ${
      dayWords(first.scoredAt)
    } to ${points(last.score)} on ${dayWords(last.scoredAt)}.`;
  return (
    <figure class="score-history" data-testid="score-history" data-points={history.length}>
      <svg
        class="score-history__chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        data-runs={runs.length}
      >
        {runs.slice(1).map((run) => {
          const at = (x(run.from - 1) + x(run.from)) / 2;
          return (
            <line
              key={`change-${run.from}`}
              class="score-history__change"
              x1={at}
              x2={at}
              y1="0"
              y2={HEIGHT}
            />
          );
        })}
        {runs.map((run) => (
          <polyline
            key={`run-${run.from}`}
            class="score-history__line"
            points={history.slice(run.from, run.to + 1)
              .map((h, i) => `${x(run.from + i).toFixed(1)},${y(h.score).toFixed(1)}`)
              .join(" ")}
          />
        ))}
        {history.map((h, i) => (
          <circle
            key={i}
            class={i === history.length - 1
              ? "score-history__dot score-history__dot--last"
              : "score-history__dot"}
            cx={x(i).toFixed(1)}
            cy={y(h.score).toFixed(1)}
            r={i === history.length - 1 ? 3.5 : 2.5}
          />
        ))}
      </svg>
      <figcaption class="score-history__caption">
        {summary}
        {runs.length > 1
          ? ` The way scores are worked out changed ${
            runs.length === 2 ? "once" : `${runs.length - 1} times`
          } since (the dashed line): compare scores on the same line only.`
          : null}
      </figcaption>
    </figure>
  );
}
