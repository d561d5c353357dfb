import { Component, type ComponentChildren, createRef } from "preact";
import type { Errors } from "@/components/profile/types.ts";

/** Props of the ProfileFilters island. */
export interface ProfileFiltersProps {
  /** How many filters are set (shown on the toggle; the panel starts open when any is). */
  active: number;
  /** Open the panel at once (the server found a problem with the filters). */
  open: boolean;
  /** Slot: the server-rendered filter fields (`ageMin`, `ageMax`, `university`, `year`, `tag`). */
  fields: ComponentChildren;
}

/**
 * Filters of the vault (age range, university, graduation year, a vibe tag) as a GET form on
 * `/vault`, so the server renders the filtered first page and it works without JavaScript; the
 * island checks the values first and leaves empty ones out of the address. It never re-renders,
 * so the server-rendered fields keep what the member typed.
 */
export default class ProfileFilters extends Component<ProfileFiltersProps> {
  form = createRef<HTMLFormElement>();

  submit = (event: Event) => {
    event.preventDefault();
    const form = this.form.current!;
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (String(value).trim()) params.set(key, String(value).trim());
    }
    const age = (key: string) => params.has(key) ? Number(params.get(key)) : NaN;
    const errors: Errors = {};
    for (const key of ["ageMin", "ageMax"]) {
      if (params.has(key) && !(age(key) >= 18 && age(key) <= 100)) {
        errors[key] = "An age from 18 to 100.";
      }
    }
    if (age("ageMin") > age("ageMax")) errors.ageMax = "Must not be below the minimum age.";
    if (params.has("year") && !/^\d{4}$/.test(params.get("year")!)) {
      errors.year = "A year, like 2027.";
    }
    let first: HTMLElement | undefined;
    for (const key of ["ageMin", "ageMax", "year"]) {
      const field = document.getElementById(key)!;
      document.getElementById(`${key}-error`)!.textContent = errors[key] ?? "";
      if (errors[key]) {
        field.setAttribute("aria-invalid", "true");
        first ??= field;
      } else field.removeAttribute("aria-invalid");
    }
    first?.focus();
    const query = params.toString();
    if (!Object.keys(errors).length) location.assign(query ? `/vault?${query}` : "/vault");
  };

  render() {
    const { active, open, fields } = this.props;
    return (
      <details class="filters" open={open || active > 0}>
        <summary class="filters__summary" data-testid="filter-toggle">
          Filters{active ? ` · ${active}` : ""}
        </summary>
        <form
          class="filters__form"
          ref={this.form}
          method="get"
          action="/vault"
          onSubmit={this.submit}
          noValidate
          data-testid="filters"
        >
          {fields}
          <div class="filters__actions">
            <a href="/vault" class="btn btn--ghost" data-testid="filter-clear">Clear</a>
            <button type="submit" class="btn btn--primary" data-testid="filter-apply">Apply</button>
          </div>
        </form>
      </details>
    );
  }
}
