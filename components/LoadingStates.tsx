import { AnimatedSigil } from "./AnimatedSigil.tsx";

export { LoadingInline, type LoadingInlineProps } from "./LoadingInline.tsx";

/** Props of {@link LoadingSigil}. */
export interface LoadingSigilProps {
  /** What is being waited for, announced politely to screen readers. */
  label?: string;
}

/** A pulsing sigil with a live-region label, for waits of a second or more. */
export function LoadingSigil({ label = "Loading…" }: LoadingSigilProps) {
  return (
    <div class="loading" role="status">
      <AnimatedSigil size="md" class="loading__sigil" />
      <span class="loading__label">{label}</span>
    </div>
  );
}

/** A placeholder with the shape of a `ProfileCard`, shimmering while members load. */
export function ProfileCardSkeleton() {
  return (
    <div class="card card--skeleton" aria-hidden="true">
      <div class="card__media skeleton" />
      <div class="card__body">
        <span class="skeleton skeleton--line skeleton--wide" />
        <span class="skeleton skeleton--line" />
        <span class="skeleton skeleton--chips" />
      </div>
    </div>
  );
}
