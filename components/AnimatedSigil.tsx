/** Sizes the sigil is drawn at; the pixel sizes live in `static/styles.css`. */
export type SigilSize = "sm" | "md" | "lg" | "xl";

/** Props of {@link AnimatedSigil}. */
export interface AnimatedSigilProps {
  size?: SigilSize;
  /** Slowly turning rings and a breathing glow (CSS only, stilled by `prefers-reduced-motion`). */
  animated?: boolean;
  /** Accessible name; without it the sigil is decorative and hidden from assistive technology. */
  label?: string;
  class?: string;
}

/** The circle's sigil: the alchemical sign for gold (☉) inside a triangle and a ring of ticks. */
export function AnimatedSigil(
  { size = "md", animated = true, label, class: className }: AnimatedSigilProps,
) {
  const classes = ["sigil", `sigil--${size}`, animated ? "sigil--animated" : "", className ?? ""]
    .filter(Boolean).join(" ");
  return (
    <svg
      class={classes}
      viewBox="0 0 100 100"
      role={label ? "img" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : "true"}
      focusable="false"
    >
      <g fill="none" stroke="currentColor" stroke-linejoin="round">
        <circle class="sigil__outer" cx="50" cy="50" r="47" stroke-width="1.5" />
        <circle
          class="sigil__ticks"
          cx="50"
          cy="50"
          r="42"
          stroke-width="3"
          stroke-dasharray="0.8 5.8"
        />
        <path class="sigil__triangle" d="M50 16 79.4 67H20.6Z" stroke-width="2.2" />
        <circle class="sigil__sun" cx="50" cy="50" r="10" stroke-width="2.2" />
      </g>
      <circle class="sigil__core" cx="50" cy="50" r="3" fill="currentColor" />
    </svg>
  );
}
