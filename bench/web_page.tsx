/** The benchmark page: 20 member cards and one island, inside the real `_app` document. */
import { Shell } from "@/components/Shell.tsx";
import { ProfileCard } from "@/components/ProfileCard.tsx";
import OathReveal from "@/islands/OathReveal.tsx";
import { BENCH_MEMBERS } from "./web_page_data.ts";

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
