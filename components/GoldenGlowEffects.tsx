import type { ComponentChildren } from "preact";

/** Props of {@link GoldenGlow}. */
export interface GoldenGlowProps {
  children: ComponentChildren;
  /** `halo`: a soft radial light behind the content; `beam`: a halo plus a slow light sweep. */
  variant?: "halo" | "beam";
  class?: string;
}

/** Lights its children from behind with a gold halo (pure CSS, still under reduced motion). */
export function GoldenGlow({ children, variant = "halo", class: className }: GoldenGlowProps) {
  const classes = ["glow", `glow--${variant}`, className ?? ""].filter(Boolean).join(" ");
  return (
    <div class={classes}>
      <span class="glow__light" aria-hidden="true" />
      {children}
    </div>
  );
}

/** Props of {@link GoldRule}. */
export interface GoldRuleProps {
  class?: string;
}

/** An ornamental divider: two fading gold lines around a small diamond. */
export function GoldRule({ class: className }: GoldRuleProps) {
  return (
    <div class={className ? `gold-rule ${className}` : "gold-rule"} role="presentation">
      <span class="gold-rule__line" />
      <span class="gold-rule__gem" />
      <span class="gold-rule__line" />
    </div>
  );
}
