import { AnimatedSigil } from "./AnimatedSigil.tsx";

/** The sigil and the name "Aurum Circle", linking home (the vault for members). */
export function Wordmark({ href = "/" }: { href?: string }) {
  return (
    <a
      class="wordmark"
      href={href}
      aria-label={href === "/" ? "Aurum Circle, home" : "Aurum Circle, the vault"}
      data-testid="wordmark"
    >
      <AnimatedSigil size="sm" animated={false} />
      <span class="wordmark__name" aria-hidden="true">Aurum Circle</span>
    </a>
  );
}
