import { percentileWords } from "./score_words.ts";

/** Props of {@link PercentileRanking}. */
export interface PercentileRankingProps {
  /** Share of the circle's scored photos below this one, 0–100. */
  percentile: number;
  /** Photos in the circle with a score. */
  scoredPhotos: number;
}

/** Where a photo's score stands among the circle's scored photos: a sentence and a marked scale. */
export function PercentileRanking({ percentile, scoredPhotos }: PercentileRankingProps) {
  const at = Math.min(100, Math.max(0, percentile));
  return (
    <div class="percentile" data-testid="score-percentile" data-percentile={Math.round(at)}>
      <p class="percentile__text">{percentileWords(at, scoredPhotos)}</p>
      {scoredPhotos > 1
        ? (
          <svg
            class="percentile__scale"
            viewBox="0 0 200 14"
            preserveAspectRatio="none"
            aria-hidden="true"
            focusable="false"
          >
            <rect class="percentile__track" x="0" y="5" width="200" height="4" rx="2" />
            <rect class="percentile__fill" x="0" y="5" width={2 * at} height="4" rx="2" />
            <rect class="percentile__mark" x={Math.min(197, 2 * at)} y="0" width="3" height="14" />
          </svg>
        )
        : null}
    </div>
  );
}
