import type { OwnPhotoScores } from "@/core/scoring/mod.ts";
import { photoUrl } from "@/components/profile/urls.ts";
import { PercentileRanking } from "./PercentileRanking.tsx";
import { ScoreBreakdown } from "./ScoreBreakdown.tsx";
import { ScoreHistory } from "./ScoreHistory.tsx";
import { confidenceWords, dayWords, flagWords, points } from "./score_words.ts";

/** Props of {@link PhotoScoreCard}. */
export interface PhotoScoreCardProps {
  profileId: string;
  photo: OwnPhotoScores;
  /** The photo's place on the profile, from 1. */
  position: number;
  scoredPhotos: number;
  /** Just scored: the card is marked for the member's eye. */
  fresh: boolean;
}

/** One of the member's photos with its latest score, how sure it is, its breakdown and history. */
export function PhotoScoreCard(
  { profileId, photo, position, scoredPhotos, fresh }: PhotoScoreCardProps,
) {
  const { latest, history } = photo;
  const sure = latest ? confidenceWords(latest.confidence) : null;
  const flags = latest ? flagWords(latest.flags) : [];
  return (
    <article
      id={`score-${photo.photoId}`}
      class={fresh ? "photo-score is-fresh" : "photo-score"}
      aria-labelledby={`score-title-${photo.photoId}`}
      data-testid="photo-score"
      data-photo={photo.photoId}
    >
      <div class="photo-score__head">
        <img
          class="photo-score__photo"
          src={photoUrl(profileId, photo.photoId, "card", "open")}
          alt=""
          width={72}
          height={90}
          loading="lazy"
        />
        <div class="photo-score__title">
          <h2 id={`score-title-${photo.photoId}`} class="photo-score__name">
            Photo {position}
            {position === 1 ? <span class="photo-score__main">your card photo</span> : null}
          </h2>
          {latest
            ? (
              <p class="photo-score__value">
                <span class="photo-score__number" data-testid="photo-score-value">
                  {points(latest.score)}
                </span>
                <span class="photo-score__of">out of 100</span>
              </p>
            )
            : <p class="photo-score__none">Not scored yet.</p>}
        </div>
      </div>
      {latest && sure
        ? (
          <>
            {fresh
              ? (
                <p class="photo-score__fresh" role="status" data-testid="score-result">
                  Scored just now: {points(latest.score)} out of 100.
                </p>
              )
              : <p class="photo-score__when">Last scored {dayWords(latest.scoredAt)}.</p>}
            <PercentileRanking percentile={latest.percentile} scoredPhotos={scoredPhotos} />
            <p class="photo-score__sure" data-testid="score-confidence">
              <strong>{sure.level}.</strong> {sure.note}
            </p>
            {flags.length
              ? (
                <ul class="photo-score__flags" aria-label="Worth knowing about this photo">
                  {flags.map((text) => <li key={text}>{text}</li>)}
                </ul>
              )
              : null}
            <ScoreBreakdown breakdown={latest.breakdown} />
            <ScoreHistory history={history} />
          </>
        )
        : null}
    </article>
  );
}
