import type { ComponentChildren } from "preact";
import { Wordmark } from "./Wordmark.tsx";

/** Props of {@link Shell}. */
export interface ShellProps {
  children: ComponentChildren;
  /** Extra content on the right of the header, e.g. a session indicator. */
  headerActions?: ComponentChildren;
  /** A modifier for `<main>`, e.g. `shell__main--center` for short error pages. */
  mainClass?: string;
}

/** The page frame: skip link, header with the wordmark, main landmark and footer. */
export function Shell({ children, headerActions, mainClass }: ShellProps) {
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="shell__header">
        <Wordmark />
        {headerActions ? <div class="shell__actions">{headerActions}</div> : null}
      </header>
      <main id="main" class={mainClass ? `shell__main ${mainClass}` : "shell__main"} tabIndex={-1}>
        {children}
      </main>
      <footer class="shell__footer">
        <p class="shell__motto">Verified humans · By invitation</p>
        <p class="shell__fine">Aurum Circle</p>
      </footer>
    </div>
  );
}
