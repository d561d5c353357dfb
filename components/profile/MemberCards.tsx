import { ProfileCard } from "../ProfileCard.tsx";
import { cardOf } from "./cards.ts";
import type { PublicProfileView } from "./types.ts";

/** Member cards appended by "show more" (loaded on demand by the LoadMoreMembers island). */
export function MemberCards({ members }: { members: PublicProfileView[] }) {
  return (
    <ul class="card-grid more__grid">
      {members.map((view) => (
        <li key={view.id} data-testid="vault-card">
          <ProfileCard {...cardOf(view)} href={`/members/${view.id}`} />
        </li>
      ))}
    </ul>
  );
}
