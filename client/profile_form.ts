/**
 * The profile forms in the browser, whose fields the server renders (`components/profile/form.tsx`,
 * handed to the islands as slots): reading the form into API bodies, the client-side checks,
 * showing errors in the fields' error regions, and the vibe-tag limits. Preact never re-renders the fields (see
 * {@link Static}), so these functions work on the DOM.
 */
import { Component, type ComponentChildren } from "preact";
import type { Errors } from "@/components/profile/types.ts";
import { ApiError } from "./api.ts";

/** The form's values by field path. */
function valuesOf(form: HTMLFormElement) {
  const data = new FormData(form);
  return {
    text: (name: string) => String(data.get(name) ?? "").trim(),
    all: (name: string) => data.getAll(name).map(String),
    has: (name: string) => data.has(name),
  };
}

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

/**
 * Body fields of the basics (the date of birth only when given), with gender, who they want to
 * meet, city and region (`components/profile/dating_fields.tsx`).
 */
export function readBasics(form: HTMLFormElement) {
  const { text, all } = valuesOf(form);
  const dateOfBirth = text("dateOfBirth");
  const year = text("graduationYear");
  return {
    displayName: text("displayName"),
    ...(dateOfBirth ? { dateOfBirth } : {}),
    gender: text("gender"),
    interestedIn: all("interestedIn"),
    city: text("city"),
    region: text("region"),
    university: text("university"),
    graduationYear: year ? Number(year) : null,
  };
}

/**
 * Body fields of the about section; `slots[i]` is the prompt slot the i-th sent prompt came from,
 * to put a server error about `prompts.i` next to the right slot.
 */
export function readAbout(form: HTMLFormElement) {
  const { text, all } = valuesOf(form);
  const slots: number[] = [];
  const prompts = [];
  for (let i = 0; form.elements.namedItem(`prompts.${i}.answer`); i++) {
    const promptId = text(`prompts.${i}.promptId`);
    const answer = text(`prompts.${i}.answer`);
    if (promptId || answer) {
      slots.push(i);
      prompts.push({ promptId, answer });
    }
  }
  return { body: { bio: text("bio"), vibeTags: all("vibeTags"), prompts }, slots };
}

/** Body fields of the preferences section. */
export function readPreferences(form: HTMLFormElement) {
  const { text, all, has } = valuesOf(form);
  return {
    preferences: {
      ageRange: {
        min: Number(text("preferences.ageRange.min") || 18),
        max: Number(text("preferences.ageRange.max") || 100),
      },
      universities: list(text("preferences.universities")),
      graduationYears: list(text("preferences.graduationYears")).map(Number),
      tags: all("preferences.tags"),
    },
    contactHandle: text("contactHandle") || null,
    hidden: has("hidden"),
  };
}

/** Whole years from a `YYYY-MM-DD` birth date to today. */
function age(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const now = new Date();
  const month = now.getMonth() + 1;
  return now.getFullYear() - y - (month > m || (month === m && now.getDate() >= d) ? 0 : 1);
}

/** Client-side checks of the basics (the server checks again); `needsBirthDate` on creation. */
export function checkBasics(
  body: ReturnType<typeof readBasics>,
  needsBirthDate: boolean,
): Errors {
  const errors: Errors = {};
  if (!body.displayName) errors.displayName = "Enter the name members will see.";
  if (body.dateOfBirth ? age(body.dateOfBirth) < 18 : needsBirthDate) {
    errors.dateOfBirth = body.dateOfBirth
      ? "Members must be 18 or older."
      : "Enter your date of birth.";
  }
  if (!body.gender) errors.gender = "Choose the one that fits you.";
  if (!body.interestedIn.length) errors.interestedIn = "Choose who you want to meet.";
  if (!body.region) errors.region = "Choose your region.";
  if (body.university.length === 1) errors.university = "Enter your university, or leave it empty.";
  if (body.graduationYear !== null && !/^\d{4}$/.test(String(body.graduationYear))) {
    errors.graduationYear = "Enter a year, like 2027, or leave it empty.";
  }
  return errors;
}

/** Client-side checks of the about section. */
export function checkAbout({ body, slots }: ReturnType<typeof readAbout>, min: number): Errors {
  const errors: Errors = {};
  if (body.vibeTags.length < min) errors.vibeTags = `Choose at least ${min} vibe tags.`;
  body.prompts.forEach(({ promptId, answer }, i) => {
    if (!promptId) errors[`prompts.${slots[i]}.promptId`] = "Choose a prompt, or clear the answer.";
    else if (!answer) errors[`prompts.${slots[i]}.answer`] = "Answer the prompt, or clear it.";
  });
  return errors;
}

/**
 * Field path (`displayName`, `prompts.0.answer`…) → message, from a failed save: every field the
 * error's `details` names, and the field a `field: message` message names.
 */
export function fieldErrors(error: unknown): Errors {
  const fields: Errors = {};
  if (!(error instanceof ApiError) || error.status === 0) return fields;
  for (const { field, message } of error.details ?? []) fields[field] ??= message;
  const split = /^([\w.]+): (.+)$/s.exec(error.message);
  if (split) fields[split[1]] ??= split[2];
  return fields;
}

const region = (form: HTMLFormElement, name: string) =>
  form.querySelector<HTMLElement>(`[data-field="${name}"]`);

/**
 * Places server field errors on the form's error regions: `prompts.i…` back on its slot, and a
 * path without a region of its own (`preferences.universities.0`) on its nearest ancestor.
 * Errors no field takes come back under `form`.
 */
export function placeErrors(form: HTMLFormElement, fields: Errors, slots: number[] = []): Errors {
  const placed: Errors = {};
  for (const [path, message] of Object.entries(fields)) {
    let name = path.replace(/^prompts\.(\d+)/, (_, i) => `prompts.${slots[+i] ?? i}`);
    while (!region(form, name) && name.includes(".")) name = name.slice(0, name.lastIndexOf("."));
    placed[region(form, name) ? name : "form"] ??= message;
  }
  return placed;
}

/** Keeps each tag picker within its maximum: unchosen chips disabled when full, the count current. */
export function limitTags(form: HTMLFormElement): void {
  for (const set of form.querySelectorAll<HTMLElement>("[data-max]")) {
    const boxes = [...set.querySelectorAll<HTMLInputElement>("input")];
    const count = boxes.filter((box) => box.checked).length;
    for (const box of boxes) box.disabled = !box.checked && count >= +set.dataset.max!;
    set.querySelector("[data-count]")!.textContent = String(count);
  }
}

/**
 * Renders server-rendered slot content once and never again: a re-render would put back the
 * server's `value`/`checked` over what the member typed.
 */
export class Static extends Component<{ children: ComponentChildren }> {
  override shouldComponentUpdate() {
    return false;
  }

  render() {
    return this.props.children;
  }
}

/** Shows `errors` in the form's error regions, marks their fields and focuses the first one. */
export function markErrors(form: HTMLFormElement, errors: Errors): void {
  let first: HTMLElement | null = null;
  for (const el of form.querySelectorAll<HTMLElement>("[data-field]")) {
    const name = el.dataset.field!;
    const field = form.querySelector<HTMLElement>(`[id="${name}"]`);
    el.textContent = errors[name] ?? "";
    if (errors[name]) {
      field?.setAttribute("aria-invalid", "true");
      first ??= field;
    } else field?.removeAttribute("aria-invalid");
  }
  first?.focus();
}
