/**
 * What a phone-sized page must satisfy, measured in Chromium: every interactive element at least
 * 44×44 px and no readable text under 14 px. Exempt, as in tests/browser/member_pages_test.ts:
 * links inside running text (`p a`, `figcaption a`), whose line is their target; a stretched card
 * link is measured through its card, a labelled input through its label.
 */
import type { Page } from "playwright-core";

/** Smallest tap target, px. */
export const MIN_TARGET = 44;
/** Smallest readable text, px. */
export const MIN_TEXT = 14;

/** Interactive elements under 44×44 px and readable text under 14 px on `page`. */
export function measurePage(page: Page): Promise<{ small: string[]; tiny: string[] }> {
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
