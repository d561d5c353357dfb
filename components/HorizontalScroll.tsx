import type { ComponentChildren } from "preact";

/** Props of {@link HorizontalScroll}. */
export interface HorizontalScrollProps {
  /** Names the region for assistive technology. */
  label: string;
  /** `<li>` items. */
  children: ComponentChildren;
  class?: string;
  testId?: string;
}

/**
 * A row that scrolls sideways with snap points (CSS only): a labelled, keyboard-focusable region
 * around a list, with faded edges hinting at more.
 */
export function HorizontalScroll(
  { label, children, class: className, testId }: HorizontalScrollProps,
) {
  return (
    <div
      class={className ? `hscroll ${className}` : "hscroll"}
      role="region"
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
    >
      <ul class="hscroll__track">{children}</ul>
    </div>
  );
}
