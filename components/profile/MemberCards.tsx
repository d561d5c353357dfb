import { ProfileCard } from "@/components/ProfileCard.tsx";
import SignalButton, { type SignalState } from "@/islands/SignalButton.tsx";
import { cardOf } from "./cards.ts";
import type { PublicProfileView } from "./types.ts";

/** What {@link MemberCards} renders. */
export interface MemberCardsProps {
  members: PublicProfileView[];
  /** The viewer's signal state per profile id. */
  signals: Record<string, SignalState>;
  /** Extra class of the list (the vault's first page, or "show more"). */
  class?: string;
  /** Cards whose photo loads eagerly (the first ones above the fold). */
  eager?: number;
  labelledBy?: string;
  testId?: string;
}

/** A grid of member cards, each with its Signal button: the vault's first page and "show more". */
export function MemberCards(
  { members, signals, class: extra, eager = 0, labelledBy, testId }: MemberCardsProps,
) {
  return (
    <ul
      class={extra ? `card-grid ${extra}` : "card-grid"}
      aria-labelledby={labelledBy}
      data-testid={testId}
    >
      {members.map((view, i) => (
        <li key={view.id} data-testid="vault-card">
          <ProfileCard
            {...cardOf(view)}
            href={`/members/${view.id}`}
            eager={i < eager}
            signal={
              <SignalButton
                profileId={view.id}
                displayName={view.displayName}
                initial={signals[view.id] ?? "none"}
              />
            }
          />
        </li>
      ))}
    </ul>
  );
}
