/** The members on the benchmark page: deterministic, so every run renders the same bytes. */
import type { ProfileCardMember } from "@/components/ProfileCard.tsx";

const UNIVERSITIES = ["Oxford", "MIT", "ETH Zürich", "Sorbonne", "Stanford"];
const TAGS = ["jazz", "climbing", "chess", "film", "poetry", "sailing", "coffee", "astronomy"];

/** Twenty members, each with a photo and three vibe tags. */
export const BENCH_MEMBERS: ProfileCardMember[] = Array.from({ length: 20 }, (_, i) => ({
  id: `m${String(i).padStart(3, "0")}`,
  displayName: `Member ${i + 1}`,
  age: 19 + (i % 12),
  university: UNIVERSITIES[i % UNIVERSITIES.length],
  photoUrl: `/api/profiles/m${i}/photos/p${i}?size=card`,
  vibeTags: [TAGS[i % TAGS.length], TAGS[(i + 3) % TAGS.length], TAGS[(i + 5) % TAGS.length]],
}));
