import type { Badges } from "@/core/profiles/views.ts";
import { VERIFICATION_TEXT } from "@/components/glossary.ts";

/** Props of {@link BadgeDisplay}. */
export interface BadgeDisplayProps {
  badges: Badges;
  /** Icons only, names for assistive technology and in the tooltip (for cards and headers). */
  compact?: boolean;
  class?: string;
}

/** A member's verification badges: World ID level, the gate NFT, or admission by invite. */
export function BadgeDisplay({ badges, compact = false, class: className }: BadgeDisplayProps) {
  const items: [kind: string, name: string, detail: string][] = [];
  if (badges.worldId) {
    items.push(["worldid", "Verified human", VERIFICATION_TEXT[badges.worldId] ?? "Verified"]);
  }
  if (badges.gateNft) items.push(["gate", "Seal holder", "Holds the circle's seal"]);
  if (badges.invite) items.push(["invite", "Vouched for", "Admitted by a member's invite"]);
  if (!items.length) return null;
  const classes = ["badges", compact ? "badges--compact" : "", className ?? ""]
    .filter(Boolean).join(" ");
  return (
    <ul class={classes} aria-label="Verification" data-testid="badges">
      {items.map(([kind, name, detail]) => (
        <li key={kind} class={`badge badge--${kind}`} title={detail} data-testid={`badge-${kind}`}>
          <span class="badge__icon" aria-hidden="true" />
          <span class={compact ? "visually-hidden" : "badge__name"}>{name}</span>
          <span class={compact ? "visually-hidden" : "badge__detail"}>
            {compact ? `: ${detail}` : detail}
          </span>
        </li>
      ))}
    </ul>
  );
}
