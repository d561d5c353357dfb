/**
 * The profile fields discovery needs — gender, who the member wants to meet, city and region — as
 * server-rendered inputs. Used by onboarding's basics step, the profile editor and the "a few more
 * details" page (a plain form that works without JavaScript). Inputs are named by API field, so
 * `client/profile_form.ts` reads them and places server errors beside them.
 */
import { GENDERS, INTERESTS, REGIONS } from "@/core/profiles/mod.ts";
import { GENDER_TEXT, INTEREST_TEXT, REGION_TEXT } from "@/components/glossary.ts";
import { FieldError, Input } from "./form.tsx";
import type { Errors } from "./types.ts";

/** The values the fields start with (a profile's, or what a refused form sent). */
export interface DatingValues {
  gender: string | null;
  interestedIn: readonly string[];
  city: string;
  region: string | null;
}

/** A set of chips (radio buttons or checkboxes) with its legend, hint and error region. */
function ChoiceSet(
  { name, legend, hint, type, options, chosen, errors }: {
    name: string;
    legend: string;
    hint?: string;
    type: "radio" | "checkbox";
    options: readonly { id: string; label: string }[];
    chosen: readonly string[];
    errors: Errors;
  },
) {
  return (
    <fieldset
      class="field field--set"
      id={name}
      tabIndex={-1}
      aria-invalid={errors[name] ? "true" : undefined}
      aria-describedby={hint ? `${name}-hint ${name}-error` : `${name}-error`}
    >
      <legend class="field__label">{legend}</legend>
      {hint ? <p class="field__hint" id={`${name}-hint`}>{hint}</p> : null}
      <div class="chips">
        {options.map(({ id, label }) => (
          <label key={id} class="chip">
            <input
              type={type}
              class="chip__box"
              name={name}
              value={id}
              defaultChecked={chosen.includes(id)}
              data-testid={`${name}-${id}`}
            />
            <span class="chip__label">{label}</span>
          </label>
        ))}
      </div>
      <FieldError name={name} errors={errors} />
    </fieldset>
  );
}

/** Gender, who they want to meet, city and region. */
export function DatingFields({ values, errors }: { values: DatingValues | null; errors: Errors }) {
  return (
    <>
      <ChoiceSet
        name="gender"
        legend="I am"
        hint="Only used to show you to the right people. Never shown on your card."
        type="radio"
        options={GENDERS.map((id) => ({ id, label: GENDER_TEXT[id] }))}
        chosen={values?.gender ? [values.gender] : []}
        errors={errors}
      />
      <ChoiceSet
        name="interestedIn"
        legend="I want to meet"
        hint="Choose one or more. You only see people who also want to meet you."
        type="checkbox"
        options={INTERESTS.map((id) => ({ id, label: INTEREST_TEXT[id] }))}
        chosen={values?.interestedIn ?? []}
        errors={errors}
      />
      <Input
        name="city"
        label="City (optional)"
        errors={errors}
        defaultValue={values?.city}
        maxLength={60}
        autoComplete="address-level2"
        hint="Shown on your card. Your exact location is never asked or shared."
        data-testid="field-city"
      />
      <div class="field">
        <label class="field__label" for="region">Region</label>
        <select
          id="region"
          name="region"
          class="field__input"
          aria-invalid={errors.region ? "true" : undefined}
          aria-describedby="region-error"
          data-testid="field-region"
        >
          <option value="">Choose your region…</option>
          {REGIONS.map((id) => (
            <option key={id} value={id} selected={values?.region === id}>{REGION_TEXT[id]}</option>
          ))}
        </select>
        <FieldError name="region" errors={errors} />
      </div>
    </>
  );
}
