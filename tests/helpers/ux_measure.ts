/**
 * The member-page UX rules measured in Chromium: every interactive element at least 44×44 px, no
 * readable text under 14 px. Links inside running text (`p a`, `figcaption a`) are exempt: their
 * line is their target. Measured through what is actually tapped: a card's name link through its
 * card (its `::after` covers the card), and an input inside a `<label>` through the label.
 */
import type { Page } from "playwright-core";

/** Smallest tap target, in CSS px. */
export const MIN_TARGET = 44;
/** Smallest readable text, in CSS px. */
export const MIN_TEXT = 14;

/** Interactive elements smaller than 44×44 px, and readable text under 14 px, on the page. */
export function measure(page: Page) {
  return page.evaluate(({ minTarget, minText }) => {
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return style.visibility !== "hidden" && style.display !== "none" && box.width > 1 &&
        box.height > 1 &&
        !el.closest(".visually-hidden, [hidden], template, details:not([open]) > :not(summary)");
    };
    const small: string[] = [];
    for (
      const el of document.querySelectorAll("a, button, input, select, summary, [role=button]")
    ) {
      if (el.matches("input[type=hidden]") || el.closest("p a, figcaption a")) continue;
      // What the finger hits: the card of a stretched card link, the label of a labelled input.
      const target = el.matches(".card__link")
        ? el.closest(".card")
        : el.matches("input") && el.closest("label")
        ? el.closest("label")
        : el;
      if (!target || !visible(target)) continue;
      const { width, height } = target.getBoundingClientRect();
      if (width < minTarget - 0.5 || height < minTarget - 0.5) {
        small.push(`${target.outerHTML.slice(0, 90)} ${Math.round(width)}×${Math.round(height)}`);
      }
    }
    const tiny = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.textContent?.trim() || !visible(el)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < minText) tiny.add(`${node.textContent.trim().slice(0, 40)} (${size}px)`);
    }
    return { small, tiny: [...tiny] };
  }, { minTarget: MIN_TARGET, minText: MIN_TEXT });
}
