/** The benchmark page: 20 member cards and one island, inside the real `_app` document. */
import { Shell } from "@/components/Shell.tsx";
import { ProfileCard, type ProfileCardMember } from "@/components/ProfileCard.tsx";
import OathReveal from "@/islands/OathReveal.tsx";

const UNIVERSITIES = ["Oxford", "MIT", "ETH Zürich", "Sorbonne", "Stanford"];
const TAGS = ["jazz", "climbing", "chess", "film", "poetry", "sailing", "coffee", "astronomy"];

/** Twenty deterministic members (no randomness: every run renders the same bytes). */
export const BENCH_MEMBERS: ProfileCardMember[] = Array.from({ length: 20 }, (_, i) => ({
  id: `m${String(i).padStart(3, "0")}`,
  displayName: `Member ${i + 1}`,
  age: 19 + (i % 12),
  university: UNIVERSITIES[i % UNIVERSITIES.length],
  photoUrl: `/api/profiles/m${i}/photos/p${i}?size=card`,
  vibeTags: [TAGS[i % TAGS.length], TAGS[(i + 3) % TAGS.length], TAGS[(i + 5) % TAGS.length]],
}));

/** The page body measured by `deno task bench:web`. */
export function BenchCardsPage() {
  return (
    <Shell>
      <h1 class="display">The vault</h1>
      <OathReveal lines={["We are verified, and we are few."]} />
      <section class="cards">
        {BENCH_MEMBERS.map((member, i) => (
          <ProfileCard key={member.id} member={member} eager={i < 2} />
        ))}
      </section>
    </Shell>
  );
}
