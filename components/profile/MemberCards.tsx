import { ProfileCard } from "@/components/ProfileCard.tsx";
import SignalButton, { type SignalState } from "@/islands/SignalButton.tsx";
import { cardOf } from "./cards.ts";
import type { PublicProfileView } from "./types.ts";

/** Member cards appended by "show more" (loaded on demand by the LoadMoreMembers island). */
export function MemberCards(
  { members, signals }: { members: PublicProfileView[]; signals: Record<string, SignalState> },
) {
  return (
    <ul class="card-grid more__grid">
      {members.map((view) => (
        <li key={view.id} data-testid="vault-card">
          <ProfileCard
            {...cardOf(view)}
            href={`/members/${view.id}`}
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
