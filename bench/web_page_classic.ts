/**
 * The benchmark page for floor (b) in classic form: `h()` calls, one vnode per element, which is
 * what JSX compiles to with the classic (`@jsx h`) or automatic (`react-jsx`) runtime. Deno
 * compiles every `.tsx` of this project to precompiled templates (`"jsx": "precompile"` in
 * deno.json, which a per-file pragma does not override), so the floor spells out the same
 * document as `_app` around `BenchCardsPage` here: Shell, 20 ProfileCards, the OathReveal island
 * rendered as a plain component. `tests/bench/web_page_test.ts` checks both render the same
 * HTML.
 */
import { type ComponentChildren, h } from "preact";
import { useSignal } from "@preact/signals";
import type { ProfileCardMember } from "@/components/ProfileCard.tsx";
import { BENCH_MEMBERS } from "./web_page_data.ts";

function AnimatedSigil({ size = "md", animated = true }: { size?: string; animated?: boolean }) {
  const classes = ["sigil", `sigil--${size}`, animated ? "sigil--animated" : ""]
    .filter(Boolean).join(" ");
  return h(
    "svg",
    { class: classes, viewBox: "0 0 100 100", "aria-hidden": "true", focusable: "false" },
    h(
      "g",
      { fill: "none", stroke: "currentColor", "stroke-linejoin": "round" },
      h("circle", { class: "sigil__outer", cx: "50", cy: "50", r: "47", "stroke-width": "1.5" }),
      h("circle", {
        class: "sigil__ticks",
        cx: "50",
        cy: "50",
        r: "42",
        "stroke-width": "3",
        "stroke-dasharray": "0.8 5.8",
      }),
      h("path", { class: "sigil__triangle", d: "M50 16 79.4 67H20.6Z", "stroke-width": "2.2" }),
      h("circle", { class: "sigil__sun", cx: "50", cy: "50", r: "10", "stroke-width": "2.2" }),
    ),
    h("circle", { class: "sigil__core", cx: "50", cy: "50", r: "3", fill: "currentColor" }),
  );
}

function Shell({ children }: { children: ComponentChildren }) {
  return h(
    "div",
    { class: "shell" },
    h("a", { class: "skip-link", href: "#main" }, "Skip to content"),
    h(
      "header",
      { class: "shell__header" },
      h(
        "a",
        {
          class: "wordmark",
          href: "/",
          "aria-label": "Aurum Circle, home",
          "data-testid": "wordmark",
        },
        h(AnimatedSigil, { size: "sm", animated: false }),
        h("span", { class: "wordmark__name", "aria-hidden": "true" }, "Aurum Circle"),
      ),
    ),
    h("main", { id: "main", class: "shell__main", tabIndex: -1 }, children),
    h(
      "footer",
      { class: "shell__footer" },
      h("p", { class: "shell__motto" }, "Verified humans · By invitation"),
      h("p", { class: "shell__fine" }, "Aurum Circle"),
    ),
  );
}

function ProfileCard({ member, eager }: { member: ProfileCardMember; eager: boolean }) {
  const nameId = `card-name-${member.id}`;
  return h(
    "article",
    { class: "card", "aria-labelledby": nameId, "data-testid": "profile-card" },
    h(
      "div",
      { class: "card__media" },
      h("img", {
        class: "card__photo card__photo--veiled",
        src: member.photoUrl!,
        alt: `Veiled photo of ${member.displayName}`,
        width: 400,
        height: 500,
        loading: eager ? "eager" : "lazy",
        decoding: "async",
      }),
    ),
    h(
      "div",
      { class: "card__body" },
      h(
        "h3",
        { class: "card__name", id: nameId },
        h("span", { class: "card__name-text" }, member.displayName),
        h("span", { class: "card__age" }, ", ", member.age),
      ),
      h("p", { class: "card__university" }, member.university),
      h(
        "ul",
        { class: "tags", "aria-label": "Vibe" },
        member.vibeTags.map((tag) => h("li", { key: tag, class: "tag" }, tag)),
      ),
    ),
  );
}

function OathReveal({ lines }: { lines: string[] }) {
  const revealed = useSignal(false);
  const state = revealed.value ? "revealed" : "sealed";
  return h(
    "div",
    { class: `oath oath--${state}`, "data-testid": "oath", "data-state": state },
    h(
      "button",
      {
        type: "button",
        class: "oath__seal",
        "aria-expanded": revealed.value,
        "aria-controls": "oath-text",
        "data-testid": "oath-seal",
        onClick: () => revealed.value = !revealed.value,
      },
      h(AnimatedSigil, { size: "lg" }),
      h("span", { class: "oath__hint" }, revealed.value ? "Seal the oath" : "Break the seal"),
    ),
    h(
      "blockquote",
      { id: "oath-text", class: "oath__text", "data-testid": "oath-text", hidden: !revealed.value },
      lines.map((line, i) => h("p", { key: i, class: "oath__line" }, line)),
    ),
  );
}

const DESCRIPTION =
  "Aurum Circle: an invite-only society of verified humans. Secret signals, private gatherings.";

/** The whole document, as `_app` renders it around `BenchCardsPage` for an anonymous visitor. */
export function BenchDocumentClassic() {
  return h(
    "html",
    { lang: "en" },
    h(
      "head",
      null,
      h("meta", { charset: "utf-8" }),
      h("meta", {
        name: "viewport",
        content: "width=device-width, initial-scale=1, viewport-fit=cover",
      }),
      h("meta", { name: "theme-color", content: "#0c0a07" }),
      h("meta", { name: "color-scheme", content: "dark" }),
      h("meta", { name: "description", content: DESCRIPTION }),
      h("title", null, "Aurum Circle"),
      h("link", {
        rel: "preload",
        href: "/fonts/cinzel-latin-wght-normal.woff2",
        as: "font",
        type: "font/woff2",
        crossorigin: "anonymous",
      }),
      h("link", { rel: "stylesheet", href: "/styles.css" }),
      h("link", { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }),
    ),
    h(
      "body",
      null,
      h(
        Shell,
        null,
        h("h1", { class: "display" }, "The vault"),
        h(OathReveal, { lines: ["We are verified, and we are few."] }),
        h(
          "section",
          { class: "cards" },
          BENCH_MEMBERS.map((member, i) =>
            h(ProfileCard, { key: member.id, member, eager: i < 2 })
          ),
        ),
      ),
    ),
  );
}
