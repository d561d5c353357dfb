import type { JSX } from "preact";

/** Visual weight of a button: `primary` is the gold call to action, `ghost` an outlined one. */
export type ButtonVariant = "primary" | "ghost";

function buttonClass(variant: ButtonVariant, block: boolean, extra?: string): string {
  return ["btn", `btn--${variant}`, block ? "btn--block" : "", extra ?? ""].filter(Boolean).join(
    " ",
  );
}

/** Props of {@link Button}: a native `<button>` plus the theme's variant. */
export type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, "class" | "style"> & {
  variant?: ButtonVariant;
  /** Stretch to the width of the container. */
  block?: boolean;
  class?: string;
};

/** A themed `<button>`; defaults to `type="button"` so it never submits a form by accident. */
export function Button(
  { variant = "primary", block = false, class: className, type = "button", ...rest }: ButtonProps,
) {
  return <button {...rest} type={type} class={buttonClass(variant, block, className)} />;
}

/** Props of {@link ButtonLink}: a native `<a>` that looks like a button. */
export type ButtonLinkProps =
  & Omit<JSX.AnchorHTMLAttributes<HTMLAnchorElement>, "class" | "style">
  & {
    href: string;
    variant?: ButtonVariant;
    block?: boolean;
    class?: string;
  };

/** A link styled as a themed button, for navigation such as "Enter the Circle". */
export function ButtonLink(
  { variant = "primary", block = false, class: className, ...rest }: ButtonLinkProps,
) {
  return <a {...rest} class={buttonClass(variant, block, className)} />;
}
