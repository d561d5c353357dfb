import { REPORT_REASONS, REPORT_TEXT_MAX } from "@/core/social/safety.ts";
import { Button } from "./Button.tsx";

const REASON_LABELS: Record<(typeof REPORT_REASONS)[number], string> = {
  harassment: "Harassment",
  spam: "Spam or scam",
  fake_profile: "Fake profile",
  inappropriate_content: "Inappropriate content",
  underage: "May be under 18",
  safety_concern: "Safety concern",
  other: "Something else",
};

/** Props of {@link SafetyActions}. */
export interface SafetyActionsProps {
  displayName: string;
  /** A confirmation or a validation message to show above the forms. */
  notice?: string | null;
  /** Where the forms post (default: the page itself), e.g. the member's page from a conversation. */
  formAction?: string;
}

/**
 * Report and block another member: plain forms posted to the member page itself, so they work
 * without JavaScript and ship none.
 */
export function SafetyActions({ displayName, notice, formAction }: SafetyActionsProps) {
  return (
    <section class="safety" aria-labelledby="safety-title" data-testid="safety">
      <h2 id="safety-title" class="eyebrow">Safety</h2>
      {notice
        ? <p class="safety__notice" role="status" data-testid="safety-notice">{notice}</p>
        : null}
      <details class="safety__report">
        <summary data-testid="report-open">Report {displayName}</summary>
        <form method="post" action={formAction} class="safety__form">
          <input type="hidden" name="action" value="report" />
          <label class="field">
            <span class="field__label">Reason</span>
            <select name="reason" required class="field__input" data-testid="report-reason">
              {REPORT_REASONS.map((reason) => (
                <option key={reason} value={reason}>{REASON_LABELS[reason]}</option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field__label">What happened (optional)</span>
            <textarea name="text" maxLength={REPORT_TEXT_MAX} rows={3} class="field__input" />
          </label>
          <Button type="submit" variant="ghost" block data-testid="report-submit">
            Send report
          </Button>
        </form>
      </details>
      <form method="post" action={formAction} class="safety__form">
        <input type="hidden" name="action" value="block" />
        <Button type="submit" variant="ghost" block data-testid="block-submit">
          Block {displayName}
        </Button>
        <p class="safety__hint">
          Blocking hides you from each other, cancels pending signals and ends a match.
        </p>
      </form>
    </section>
  );
}
