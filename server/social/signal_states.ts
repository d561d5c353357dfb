/** Where the member stands with each listed profile, for the signal buttons. */
import { listSent } from "@/core/social/mod.ts";
import { profileIdOf } from "@/core/profiles/mod.ts";
import type { AppDeps } from "@/server/deps.ts";

/** Where the member stands with each profile: `matched`, `sent` (pending) or `none`. */
export async function signalStates(
  deps: AppDeps,
  wallet: string,
  profiles: { id: string }[],
): Promise<Record<string, "none" | "sent" | "matched">> {
  const sent = await listSent(deps.kv, wallet);
  const byProfile = new Map<string | null, boolean>(
    await Promise.all(
      sent.map(async (signal) => [await profileIdOf(deps.kv, signal.to), signal.matched] as const),
    ),
  );
  return Object.fromEntries(profiles.map((profile) => {
    const matched = byProfile.get(profile.id);
    return [profile.id, matched === undefined ? "none" : matched ? "matched" : "sent"];
  }));
}
