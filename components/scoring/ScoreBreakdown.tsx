import type { PhotoScore } from "@/core/scoring/mod.ts";
import { featureWords, SCORE_GROUPS, signedPoints } from "./score_words.ts";

/** Props of {@link ScoreBreakdown}. */
export interface ScoreBreakdownProps {
  breakdown: PhotoScore["breakdown"];
}

/** Half-width of a bar in viewBox units: the largest share reaches the edge. */
const HALF = 100;

/** A bar of `value` points out of `scale`, growing right from the middle when positive. */
function ShareBar({ value, scale }: { value: number; scale: number }) {
  const length = scale > 0 ? Math.min(HALF, (Math.abs(value) / scale) * HALF) : 0;
  const x = value >= 0 ? HALF : HALF - length;
  return (
    <svg
      class="share-bar"
      viewBox={`0 0 ${2 * HALF} 12`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect class="share-bar__track" x="0" y="5" width={2 * HALF} height="2" />
      <rect
        class={value >= 0 ? "share-bar__fill" : "share-bar__fill share-bar__fill--down"}
        x={x}
        y="1"
        width={Math.max(length, 0.5)}
        height="10"
        rx="2"
      />
      <rect class="share-bar__zero" x={HALF - 0.5} y="0" width="1" height="12" />
    </svg>
  );
}

/**
 * What moved a score from the middle (50): the three groups with bars, and every measured quality
 * with its points, folded under the groups.
 */
export function ScoreBreakdown({ breakdown }: ScoreBreakdownProps) {
  const { groups, contributions, communityOffset } = breakdown;
  const scale = Math.max(1, ...SCORE_GROUPS.map((g) => Math.abs(groups[g.id])));
  const detailScale = Math.max(1, ...contributions.map((c) => Math.abs(c.points)));
  const community = Math.round(communityOffset.points);
  return (
    <div class="breakdown" data-testid="score-breakdown">
      <p class="breakdown__intro">Every photo starts at 50. What moved this one:</p>
      <ul class="breakdown__groups">
        {SCORE_GROUPS.map((group) => (
          <li key={group.id} class="breakdown__group" data-group={group.id}>
            <span class="breakdown__label">
              {group.label}
              <span class="breakdown__hint">{group.hint}</span>
            </span>
            <ShareBar value={groups[group.id]} scale={scale} />
            <span class="breakdown__points">{signedPoints(groups[group.id])}</span>
          </li>
        ))}
        {community !== 0
          ? (
            <li class="breakdown__group" data-group="community">
              <span class="breakdown__label">
                Members' choices
                <span class="breakdown__hint">
                  from {communityOffset.comparisons} comparisons with other photos
                </span>
              </span>
              <ShareBar value={communityOffset.points} scale={scale} />
              <span class="breakdown__points">{signedPoints(communityOffset.points)}</span>
            </li>
          )
          : null}
      </ul>
      <details class="breakdown__details">
        <summary class="breakdown__summary">Every quality measured</summary>
        <ul class="breakdown__list">
          {[...contributions].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).map((c) => (
            <li key={c.feature} class="breakdown__item" data-testid="score-contribution">
              <span class="breakdown__label">{featureWords(c.feature)}</span>
              <ShareBar value={c.points} scale={detailScale} />
              <span class="breakdown__points">{signedPoints(c.points)}</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
