import { DELETE_CONFIRMATION } from "@/core/account/deletion.ts";
import { Button, ButtonLink } from "@/components/Button.tsx";

/** Props of {@link YourData}. */
export interface YourDataProps {
  /** Why the deletion form was refused, if it was. */
  error?: string | null;
}

/**
 * "Your data" on the profile page: download everything held about you, or delete your account
 * with a typed confirmation. A plain link and a plain form: they work without JavaScript.
 */
export function YourData({ error }: YourDataProps) {
  return (
    <section
      class="safety your-data"
      id="your-data"
      aria-labelledby="your-data-title"
      data-testid="your-data"
    >
      <h2 id="your-data-title" class="eyebrow">Your data</h2>
      <p class="safety__hint">
        Download a copy of everything the circle holds about you: your profile, photos, signals,
        matches, invites, tickets and reports.
      </p>
      <ButtonLink href="/api/me/export" variant="ghost" block download data-testid="export-link">
        Download my data
      </ButtonLink>
      <form
        method="post"
        action="/profile/edit#your-data"
        class="safety__form"
        data-testid="delete-form"
      >
        <h3 class="your-data__title">Delete my account</h3>
        <p class="safety__hint">
          This removes your profile, photos, signals and matches for good. Your matches will see
          that you have left. Tickets you hold stay sold, without your name. You cannot open a new
          account with the same World ID for 30 days.
        </p>
        {error
          ? <p class="safety__notice" role="alert" data-testid="delete-error">{error}</p>
          : null}
        <label class="field">
          <span class="field__label">Type “{DELETE_CONFIRMATION}” to confirm</span>
          <input
            name="confirm"
            class="field__input"
            autocomplete="off"
            required
            data-testid="delete-confirm"
          />
        </label>
        <Button type="submit" variant="ghost" block data-testid="delete-submit">
          Delete my account
        </Button>
      </form>
    </section>
  );
}
