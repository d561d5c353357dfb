/**
 * The profile form's fields, shared by the ProfileSetup and ProfileEditor islands: labelled inputs
 * with their hint and error (`aria-invalid`, `aria-describedby`), the vibe-tag chips, the prompts
 * and the discovery preferences; plus reading the form into API bodies and the client-side checks.
 * Inputs are named by their API field path, so a server error lands next to its field.
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

/** The accessibility attributes linking an input to its hint and error. */
function described(name: string, errors: Errors, hint?: string) {
  const ids = [hint && `${name}-hint`, errors[name] && `${name}-error`].filter(Boolean);
  return {
    id: name,
    name,
    "aria-invalid": errors[name] ? ("true" as const) : undefined,
    "aria-describedby": ids.length ? ids.join(" ") : undefined,
  };
}

/** The error under a field (nothing when it has none). */
export function FieldError({ name, errors }: { name: string; errors: Errors }) {
  return errors[name]
    ? <p class="field__error" id={`${name}-error`} data-testid={`error-${name}`}>{errors[name]}</p>
    : null;
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
  chosen: string[];
  max: number;
  min?: number;
  errors: Errors;
  onToggle(name: string, id: string): void;
}

/** Vibe tags as toggle chips (checkboxes); unchosen ones are disabled at the maximum. */
export function TagPicker(
  { name, legend, options, chosen, max, min = 0, errors, onToggle }: TagPickerProps,
) {
  const full = chosen.length >= max;
  return (
    <fieldset
      class="field field--set"
      aria-invalid={errors[name] ? "true" : undefined}
      aria-describedby={`${name}-hint${errors[name] ? ` ${name}-error` : ""}`}
      id={name}
      tabIndex={-1}
    >
      <legend class="field__label">{legend}</legend>
      <p class="field__hint" id={`${name}-hint`} aria-live="polite">
        {min ? `Choose ${min}–${max}` : `Up to ${max}`} · {chosen.length} chosen
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
                checked={on}
                disabled={full && !on}
                onChange={() => onToggle(name, id)}
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

/** Name, date of birth, university and graduation year. */
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
        label="University"
        errors={errors}
        defaultValue={profile?.university}
        autoComplete="organization"
        maxLength={80}
        data-testid="field-university"
      />
      <Input
        name="graduationYear"
        label="Graduation year"
        errors={errors}
        defaultValue={profile?.graduationYear}
        inputMode="numeric"
        maxLength={4}
        placeholder="2027"
        data-testid="field-graduationYear"
      />
    </>
  );
}

/** Bio, vibe tags and up to three prompts. */
export function AboutFields(
  { vocab, profile, errors, tags, onToggle }: SectionProps & {
    tags: string[];
    onToggle(name: string, id: string): void;
  },
) {
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
        chosen={tags}
        min={vocab.minTags}
        max={vocab.maxTags}
        errors={errors}
        onToggle={onToggle}
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
      <FieldError name="prompts" errors={errors} />
    </>
  );
}

/** Discovery preferences, the contact handle for matches and the hidden flag. */
export function PreferenceFields(
  { vocab, profile, errors, prefTags, onToggle }: SectionProps & {
    prefTags: string[];
    onToggle(name: string, id: string): void;
  },
) {
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
        chosen={prefTags}
        max={vocab.maxTags}
        errors={errors}
        onToggle={onToggle}
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
    </>
  );
}

/** The inputs of a form by name (multi-valued ones as lists). */
function fieldsOf(form: HTMLFormElement) {
  const data = new FormData(form);
  return {
    text: (name: string) => String(data.get(name) ?? "").trim(),
    has: (name: string) => data.has(name),
  };
}

/** `chosen` with `id` added, or removed when it was there. */
export function toggled(chosen: string[], id: string): string[] {
  return chosen.includes(id) ? chosen.filter((t) => t !== id) : [...chosen, id];
}

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** Body fields of the basics section (the date of birth only when given). */
export function readBasics(form: HTMLFormElement) {
  const { text } = fieldsOf(form);
  const dateOfBirth = text("dateOfBirth");
  return {
    displayName: text("displayName"),
    ...(dateOfBirth ? { dateOfBirth } : {}),
    university: text("university"),
    graduationYear: Number(text("graduationYear")),
  };
}

/**
 * Body fields of the about section; `slots[i]` is the prompt slot the i-th sent prompt came from,
 * to put a server error about `prompts.i` next to the right slot.
 */
export function readAbout(form: HTMLFormElement, tags: string[], maxPrompts: number) {
  const { text } = fieldsOf(form);
  const slots: number[] = [];
  const prompts = [];
  for (let i = 0; i < maxPrompts; i++) {
    const promptId = text(`prompts.${i}.promptId`);
    const answer = text(`prompts.${i}.answer`);
    if (promptId || answer) {
      slots.push(i);
      prompts.push({ promptId, answer });
    }
  }
  return { body: { bio: text("bio"), vibeTags: tags, prompts }, slots };
}

/** Body fields of the preferences section. */
export function readPreferences(form: HTMLFormElement, prefTags: string[]) {
  const { text, has } = fieldsOf(form);
  return {
    preferences: {
      ageRange: {
        min: Number(text("preferences.ageRange.min") || 18),
        max: Number(text("preferences.ageRange.max") || 100),
      },
      universities: list(text("preferences.universities")),
      graduationYears: list(text("preferences.graduationYears")).map(Number),
      tags: prefTags,
    },
    contactHandle: text("contactHandle") || null,
    hidden: has("hidden"),
  };
}

/** Whole years from a `YYYY-MM-DD` birth date to today. */
function age(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const now = new Date();
  const had = now.getMonth() + 1 > m || (now.getMonth() + 1 === m && now.getDate() >= d);
  return now.getFullYear() - y - (had ? 0 : 1);
}

/** Client-side checks of the basics (the server checks again); `needsBirthDate` on creation. */
export function checkBasics(
  body: ReturnType<typeof readBasics>,
  needsBirthDate: boolean,
): Errors {
  const errors: Errors = {};
  if (!body.displayName) errors.displayName = "Enter the name members will see.";
  if (!body.dateOfBirth) {
    if (needsBirthDate) errors.dateOfBirth = "Enter your date of birth.";
  } else if (age(body.dateOfBirth) < 18) errors.dateOfBirth = "Members must be 18 or older.";
  if (body.university.length < 2) errors.university = "Enter your university.";
  if (!/^\d{4}$/.test(String(body.graduationYear))) {
    errors.graduationYear = "Enter a year, like 2027.";
  }
  return errors;
}

/** Client-side checks of the about section. */
export function checkAbout(
  { body, slots }: ReturnType<typeof readAbout>,
  min: number,
): Errors {
  const errors: Errors = {};
  if (body.vibeTags.length < min) errors.vibeTags = `Choose at least ${min} vibe tags.`;
  body.prompts.forEach(({ promptId, answer }, i) => {
    if (!promptId) errors[`prompts.${slots[i]}.promptId`] = "Choose a prompt, or clear the answer.";
    else if (!answer) errors[`prompts.${slots[i]}.answer`] = "Answer the prompt, or clear it.";
  });
  return errors;
}

/**
 * Places server field errors on the form's inputs: `prompts.i…` back on its slot, and a path with
 * no input of its own (`preferences.universities.0`) on its nearest named ancestor.
 */
export function placeErrors(
  form: HTMLFormElement,
  fields: Errors,
  slots: number[] = [],
): Errors {
  const placed: Errors = {};
  for (const [path, message] of Object.entries(fields)) {
    let name = path.replace(/^prompts\.(\d+)/, (_, i) => `prompts.${slots[+i] ?? i}`);
    while (!form.querySelector(`[id="${name}"]`) && name.includes(".")) {
      name = name.slice(0, name.lastIndexOf("."));
    }
    placed[name] ??= message;
  }
  return placed;
}

/** Moves focus to the first field marked invalid (after the render that marked it). */
export function focusInvalid(form: HTMLFormElement | null) {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
