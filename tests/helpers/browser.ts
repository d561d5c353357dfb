/**
 * A headless Chromium harness for hydration tests: launches /usr/bin/chromium through
 * playwright-core, records console errors and page errors, and closes everything it opened.
 */
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** An open page plus the errors it reported. */
export interface BrowserPage {
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
  close(): Promise<void>;
}

/** Launches Chromium. */
export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
}

/** Runs `fn` with a browser that is closed afterwards, whatever happens. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/** Opens `url` in a fresh context (own locale, time zone…) and collects its errors. */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<BrowserPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, close: () => context.close() };
}

/** Saves a screenshot to `tests/output/<name>.png` (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = new URL("../output/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname, fullPage: true });
}
