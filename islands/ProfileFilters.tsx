import { Component } from "preact";
import { Button, ButtonLink } from "../components/Button.tsx";
import { FieldError, Input } from "../components/profile/form.tsx";
import type { Choice, Errors } from "../components/profile/types.ts";

/** The filter values in the vault's query string (empty string: not set). */
export interface FilterValues {
  ageMin: string;
  ageMax: string;
  university: string;
  year: string;
  tag: string;
}

/** Props of the ProfileFilters island. */
export interface ProfileFiltersProps {
  values: FilterValues;
  tags: Choice[];
  /** A message of the server about the filters, shown on the field it names. */
  errors: Errors;
}

/**
 * Filters of the vault (age range, university, graduation year, a vibe tag) as a GET form on
 * `/vault`, so the server renders the filtered first page; the island checks the values first and
 * leaves empty ones out of the address.
 */
export default class ProfileFilters extends Component<ProfileFiltersProps, { errors?: Errors }> {
  submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const params = new URLSearchParams();
    for (const [key, value] of data) {
      if (String(value).trim()) params.set(key, String(value).trim());
    }
    const age = (key: string) => params.has(key) ? Number(params.get(key)) : NaN;
    const errors: Errors = {};
    for (const key of ["ageMin", "ageMax"]) {
      const value = age(key);
      if (params.has(key) && !(value >= 18 && value <= 100)) errors[key] = "An age from 18 to 100.";
    }
    if (age("ageMin") > age("ageMax")) errors.ageMax = "Must not be below the minimum age.";
    if (params.has("year") && !/^\d{4}$/.test(params.get("year")!)) {
      errors.year = "A year, like 2027.";
    }
    if (Object.keys(errors).length) {
      return this.setState({ errors }, () => {
        document.querySelector<HTMLElement>('.filters [aria-invalid="true"]')?.focus();
      });
    }
    const query = params.toString();
    location.assign(query ? `/vault?${query}` : "/vault");
  };

  render() {
    const { values, tags } = this.props;
    const errors = this.state.errors ?? this.props.errors;
    const active = Object.values(values).filter(Boolean).length;
    return (
      <details class="filters" open={active > 0 || Object.keys(errors).length > 0}>
        <summary class="filters__summary" data-testid="filter-toggle">
          Filters{active ? ` · ${active}` : ""}
        </summary>
        <form
          class="filters__form"
          method="get"
          action="/vault"
          onSubmit={this.submit}
          noValidate
          data-testid="filters"
        >
          <div class="field__pair">
            <Input
              name="ageMin"
              label="Age from"
              type="number"
              inputMode="numeric"
              min={18}
              max={100}
              defaultValue={values.ageMin}
              errors={errors}
              data-testid="filter-age-min"
            />
            <Input
              name="ageMax"
              label="to"
              type="number"
              inputMode="numeric"
              min={18}
              max={100}
              defaultValue={values.ageMax}
              errors={errors}
              data-testid="filter-age-max"
            />
          </div>
          <Input
            name="university"
            label="University"
            defaultValue={values.university}
            errors={errors}
            data-testid="filter-university"
          />
          <Input
            name="year"
            label="Graduation year"
            inputMode="numeric"
            maxLength={4}
            defaultValue={values.year}
            errors={errors}
            data-testid="filter-year"
          />
          <div class="field">
            <label class="field__label" for="tag">Vibe</label>
            <select
              id="tag"
              name="tag"
              class="field__input"
              aria-invalid={errors.tag ? "true" : undefined}
              aria-describedby={errors.tag ? "tag-error" : undefined}
              data-testid="filter-tag"
            >
              <option value="">Any vibe</option>
              {tags.map(({ id, label }) => (
                <option key={id} value={id} selected={values.tag === id}>{label}</option>
              ))}
            </select>
            <FieldError name="tag" errors={errors} />
          </div>
          <FieldError name="filters" errors={errors} />
          <div class="filters__actions">
            <ButtonLink href="/vault" variant="ghost" data-testid="filter-clear">Clear</ButtonLink>
            <Button type="submit" data-testid="filter-apply">Apply</Button>
          </div>
        </form>
      </details>
    );
  }
}
