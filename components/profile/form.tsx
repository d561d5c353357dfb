/**
 * The profile form's fields, rendered on the server and handed to the ProfileSetup, ProfileEditor
 * and ProfileFilters islands as slots (so their markup and text never ship as JavaScript): labelled
 * inputs with a hint and an error region (`aria-invalid`, `aria-describedby`), the vibe-tag chips,
 * the prompts and the discovery preferences. Inputs are named and identified by their API field
 * path, so a server error lands next to its field (see `client/profile_form.ts`).
 */
import type { JSX } from "preact";
import type { Choice, Errors, OwnerProfileView, Vocabulary } from "./types.ts";

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "class" | "style" | "name">;

/** Props of {@link Input}. */
export interface FieldProps extends InputProps {
  name: string;
  label: string;
  errors: Errors;
  hint?: string;
  /** A `<textarea>` instead of an `<input>`. */
  multiline?: boolean;
}

/** The accessibility attributes linking an input to its hint and error region. */
function described(name: string, errors: Errors, hint?: string) {
  return {
    id: name,
    name,
    "aria-invalid": errors[name] ? ("true" as const) : undefined,
    "aria-describedby": hint ? `${name}-hint ${name}-error` : `${name}-error`,
  };
}

/**
 * The error region of a field: always in the page (empty and not displayed without an error), so
 * the islands fill it in place (`data-field` names the field).
 */
export function FieldError({ name, errors }: { name: string; errors: Errors }) {
  return (
    <p class="field__error" id={`${name}-error`} data-field={name} data-testid={`error-${name}`}>
      {errors[name]}
    </p>
  );
}

/** A labelled text input (or textarea) with its hint and error. */
export function Input({ name, label, errors, hint, multiline, ...rest }: FieldProps) {
  const a11y = described(name, errors, hint);
  return (
    <div class="field">
      <label class="field__label" for={name}>{label}</label>
      {multiline
        ? (
          <textarea
            {...(rest as JSX.TextareaHTMLAttributes<HTMLTextAreaElement>)}
            {...a11y}
            class="field__input field__input--area"
          />
        )
        : <input type="text" {...rest} {...a11y} class="field__input" />}
      {hint ? <p class="field__hint" id={`${name}-hint`}>{hint}</p> : null}
      <FieldError name={name} errors={errors} />
    </div>
  );
}

/** Props of {@link TagPicker}. */
export interface TagPickerProps {
  name: string;
  legend: string;
  options: Choice[];
  chosen: readonly string[];
  max: number;
  min?: number;
  errors: Errors;
}

/**
 * Vibe tags as toggle chips (checkboxes). `data-max` tells the islands to disable the unchosen
 * chips at the maximum and to keep the `data-count` number current.
 */
export function TagPicker(
  { name, legend, options, chosen, max, min = 0, errors }: TagPickerProps,
) {
  const full = chosen.length >= max;
  return (
    <fieldset
      class="field field--set"
      aria-invalid={errors[name] ? "true" : undefined}
      aria-describedby={`${name}-hint ${name}-error`}
      id={name}
      tabIndex={-1}
      data-max={max}
    >
      <legend class="field__label">{legend}</legend>
      <p class="field__hint" id={`${name}-hint`} aria-live="polite">
        {min ? `Choose ${min}–${max}` : `Up to ${max}`} · <span data-count>{chosen.length}</span>
        {" "}
        chosen
      </p>
      <div class="chips">
        {options.map(({ id, label }) => {
          const on = chosen.includes(id);
          return (
            <label key={id} class="chip">
              <input
                type="checkbox"
                class="chip__box"
                name={name}
                value={id}
                defaultChecked={on}
                disabled={full && !on}
                data-testid={`${name}-${id}`}
              />
              <span class="chip__label">{label}</span>
            </label>
          );
        })}
      </div>
      <FieldError name={name} errors={errors} />
    </fieldset>
  );
}

/** Props of the section components. */
export interface SectionProps {
  vocab: Vocabulary;
  profile: OwnerProfileView | null;
  errors: Errors;
}

/** Name, date of birth, and the optional university and graduation year. */
export function BasicsFields(
  { profile, errors, latestBirthDate }: SectionProps & { latestBirthDate: string },
) {
  return (
    <>
      <Input
        name="displayName"
        label="Name"
        errors={errors}
        defaultValue={profile?.displayName}
        autoComplete="given-name"
        maxLength={40}
        data-testid="field-displayName"
      />
      <Input
        name="dateOfBirth"
        label="Date of birth"
        type="date"
        errors={errors}
        max={latestBirthDate}
        hint={profile
          ? "Only your age is shown. Leave empty to keep it."
          : "Members are 18 or older. Only your age is shown."}
        data-testid="field-dateOfBirth"
      />
      <Input
        name="university"
        label="University (optional)"
        errors={errors}
        defaultValue={profile?.university}
        autoComplete="organization"
        maxLength={80}
        data-testid="field-university"
      />
      <Input
        name="graduationYear"
        label="Graduation year (optional)"
        errors={errors}
        defaultValue={profile?.graduationYear ?? undefined}
        inputMode="numeric"
        maxLength={4}
        placeholder="2027"
        data-testid="field-graduationYear"
      />
    </>
  );
}

/** Bio, vibe tags and up to three prompts. */
export function AboutFields({ vocab, profile, errors }: SectionProps) {
  const answered = profile?.prompts ?? [];
  return (
    <>
      <Input
        name="bio"
        label="Bio"
        multiline
        errors={errors}
        defaultValue={profile?.bio}
        maxLength={500}
        hint="A few lines the circle will read. Up to 500 characters."
        data-testid="field-bio"
      />
      <TagPicker
        name="vibeTags"
        legend="Your vibe"
        options={vocab.tags}
        chosen={profile?.vibeTags ?? []}
        min={vocab.minTags}
        max={vocab.maxTags}
        errors={errors}
      />
      {Array.from({ length: vocab.maxPrompts }, (_, i) => {
        const key = `prompts.${i}`;
        return (
          <fieldset key={key} class="field field--set prompt">
            <legend class="field__label">Prompt {i + 1} (optional)</legend>
            <label class="visually-hidden" for={`${key}.promptId`}>Prompt {i + 1}</label>
            <select
              {...described(`${key}.promptId`, errors)}
              class="field__input"
              data-testid={`field-prompt-${i}`}
            >
              <option value="">Choose a prompt…</option>
              {vocab.prompts.map(({ id, label }) => (
                <option key={id} value={id} selected={answered[i]?.promptId === id}>{label}</option>
              ))}
            </select>
            <FieldError name={`${key}.promptId`} errors={errors} />
            <label class="visually-hidden" for={`${key}.answer`}>Answer to prompt {i + 1}</label>
            <textarea
              {...described(`${key}.answer`, errors)}
              class="field__input field__input--area"
              maxLength={200}
              defaultValue={answered[i]?.answer}
              placeholder="Your answer"
              data-testid={`field-answer-${i}`}
            />
            <FieldError name={`${key}.answer`} errors={errors} />
          </fieldset>
        );
      })}
      <p class="field__error" id="prompts" data-field="prompts" data-testid="error-prompts" />
    </>
  );
}

/** Discovery preferences, the contact handle for matches and the hidden flag. */
export function PreferenceFields({ vocab, profile, errors }: SectionProps) {
  const prefs = profile?.preferences;
  return (
    <>
      <fieldset class="field field--set">
        <legend class="field__label">Ages you would meet</legend>
        <div class="field__pair">
          <Input
            name="preferences.ageRange.min"
            label="From"
            type="number"
            inputMode="numeric"
            min={18}
            max={100}
            defaultValue={prefs?.ageRange.min ?? 18}
            errors={errors}
            data-testid="field-ageMin"
          />
          <Input
            name="preferences.ageRange.max"
            label="To"
            type="number"
            inputMode="numeric"
            min={18}
            max={100}
            defaultValue={prefs?.ageRange.max ?? 100}
            errors={errors}
            data-testid="field-ageMax"
          />
        </div>
      </fieldset>
      <Input
        name="preferences.universities"
        label="Universities"
        errors={errors}
        defaultValue={prefs?.universities.join(", ")}
        hint="Separate with commas. Empty means any."
        data-testid="field-universities"
      />
      <Input
        name="preferences.graduationYears"
        label="Graduation years"
        errors={errors}
        defaultValue={prefs?.graduationYears.join(", ")}
        inputMode="numeric"
        hint="For example 2026, 2027. Empty means any."
        data-testid="field-graduationYears"
      />
      <TagPicker
        name="preferences.tags"
        legend="Vibes you look for"
        options={vocab.tags}
        chosen={profile?.preferences.tags ?? []}
        max={vocab.maxTags}
        errors={errors}
      />
      <Input
        name="contactHandle"
        label="Contact handle"
        errors={errors}
        defaultValue={profile?.contactHandle ?? ""}
        placeholder="@you or telegram:@you"
        hint="Revealed only to mutual matches."
        data-testid="field-contactHandle"
      />
      <label class="toggle">
        <input
          type="checkbox"
          name="hidden"
          class="toggle__box"
          defaultChecked={profile?.hidden}
          data-testid="field-hidden"
        />
        <span>Hide me from discovery (incognito)</span>
      </label>
      <FieldError name="hidden" errors={errors} />
    </>
  );
}
