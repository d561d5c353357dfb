/** How many motes the CSS positions: `static/styles.css` has one `:nth-child` rule per mote. */
const MOTE_COUNT = 18;
const MOTES = Array.from({ length: MOTE_COUNT }, (_, i) => i);

/** Props of {@link ParticleBackground}. */
export interface ParticleBackgroundProps {
  class?: string;
}

/**
 * Drifting gold motes behind a section, pure CSS: the positions, sizes and timings are fixed per
 * `:nth-child` in the stylesheet, so server and client markup never differ, and no JS ships.
 */
export function ParticleBackground({ class: className }: ParticleBackgroundProps) {
  return (
    <div class={className ? `particles ${className}` : "particles"} aria-hidden="true">
      {MOTES.map((i) => <span key={i} class="particles__mote" />)}
    </div>
  );
}
