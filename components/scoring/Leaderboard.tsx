import { points } from "./score_words.ts";

/** One row of the leaderboard as the viewer may see it. */
export interface LeaderboardRow {
  rank: number;
  profileId: string;
  displayName: string;
  /** The card photo's URL: the server serves the veiled thumbnail unless the two matched. */
  photo: string | null;
  veiled: boolean;
  score: number;
  own: boolean;
}

/** The opted-in members by their best photo's score: rank, photo, name (to their page), score. */
export function Leaderboard({ rows }: { rows: LeaderboardRow[] }) {
  return (
    <ol class="leaderboard" aria-label="Leaderboard" data-testid="leaderboard">
      {rows.map((row) => (
        <li
          key={row.profileId}
          class={row.own ? "leaderboard__row is-own" : "leaderboard__row"}
          data-testid="leaderboard-row"
          data-profile={row.profileId}
        >
          <span class="leaderboard__rank" aria-label={`Rank ${row.rank}`}>{row.rank}</span>
          <span class="leaderboard__media">
            {row.photo
              ? (
                <img
                  class={row.veiled ? "card__photo card__photo--veiled" : "card__photo"}
                  src={row.photo}
                  alt=""
                  width={48}
                  height={48}
                  loading="lazy"
                />
              )
              : (
                <span class="leaderboard__monogram" aria-hidden="true">
                  {row.displayName.trim().charAt(0).toUpperCase() || "?"}
                </span>
              )}
          </span>
          <a class="leaderboard__name" href={`/members/${row.profileId}`}>
            {row.displayName}
            {row.own ? <span class="leaderboard__you">you</span> : null}
          </a>
          <span class="leaderboard__score" aria-label={`Score ${points(row.score)} out of 100`}>
            {points(row.score)}
          </span>
        </li>
      ))}
    </ol>
  );
}
