import type { ComponentChildren } from "preact";
import { AnimatedSigil } from "./AnimatedSigil.tsx";
import { ButtonLink } from "./Button.tsx";

/** Props of {@link EmptyState}. */
export interface EmptyStateProps {
  title: string;
  children?: ComponentChildren;
  /** A way out, e.g. clearing filters. */
  action?: { href: string; label: string };
  testId?: string;
}

/** What a list shows when it has nothing: a still sigil, a title, a line and an optional action. */
export function EmptyState({ title, children, action, testId = "empty-state" }: EmptyStateProps) {
  return (
    <div class="empty-state" data-testid={testId}>
      <AnimatedSigil size="md" animated={false} class="empty-state__sigil" />
      <h2 class="empty-state__title">{title}</h2>
      {children ? <p class="empty-state__text">{children}</p> : null}
      {action ? <ButtonLink href={action.href} variant="ghost">{action.label}</ButtonLink> : null}
    </div>
  );
}
