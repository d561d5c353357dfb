import { AnimatedSigil } from "./AnimatedSigil.tsx";

/** The sigil and the name "Aurum Circle", linking home. */
export function Wordmark() {
  return (
    <a class="wordmark" href="/" aria-label="Aurum Circle, home" data-testid="wordmark">
      <AnimatedSigil size="sm" animated={false} />
      <span class="wordmark__name" aria-hidden="true">Aurum Circle</span>
    </a>
  );
}
