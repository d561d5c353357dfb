/** Props of {@link LoadingInline}. */
export interface LoadingInlineProps {
  label: string;
}

/**
 * A one-line wait for islands: a small pulsing seal drawn in CSS, then the label. Light enough for
 * island bundles (its own module, so islands do not pull in the SVG sigil of `LoadingSigil`).
 */
export function LoadingInline({ label }: LoadingInlineProps) {
  return (
    <span class="loading-inline">
      <span class="loading-inline__seal" aria-hidden="true" />
      {label}
    </span>
  );
}
