/**
 * The five onboarding steps walked in Chromium as a member does (shared by the onboarding test and
 * the whole-journey test); with `meetErrors`, the member also meets every refusal on the way: empty
 * fields, an under-age birth date, a file that is not a photo, a photo without a face, and a group
 * photo offered as the main photo.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { screenshot } from "@/tests/helpers/browser.ts";

const DEMO = new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url);

export async function focusedId(page: Page): Promise<string> {
  return await page.evaluate(() => document.activeElement?.id ?? "");
}

/** What the member enters. */
export interface OnboardingMember {
  name: string;
  dob: string;
  university: string;
  year: string;
  tags: string[];
  photo: string;
  gender: string;
  interestedIn: string[];
  city: string;
  region: string;
}

/** Walks the five steps; the first member also meets the errors on the way. */
export async function onboard(page: Page, member: OnboardingMember, meetErrors: boolean) {
  await page.getByTestId("setup-step-1").waitFor();
  const next = page.getByTestId("setup-next");
  if (meetErrors) {
    await next.click();
    await page.getByTestId("error-displayName").waitFor();
    assert.equal(await page.getByTestId("field-displayName").getAttribute("aria-invalid"), "true");
    assert.match(
      (await page.getByTestId("field-displayName").getAttribute("aria-describedby"))!,
      /displayName-error/,
    );
    assert.equal(await focusedId(page), "displayName", "focus moves to the first bad field");
  }
  await page.getByTestId("field-displayName").fill(member.name);
  await page.getByTestId("field-university").fill(member.university);
  await page.getByTestId("field-graduationYear").fill(member.year);
  if (meetErrors) {
    const year = new Date().getFullYear();
    await page.getByTestId("field-dateOfBirth").fill(`${year - 16}-01-01`);
    await next.click();
    await page.getByTestId("error-dateOfBirth").waitFor();
    assert.match(await page.getByTestId("error-dateOfBirth").innerText(), /18/);
  }
  await page.getByTestId("field-dateOfBirth").fill(member.dob);
  if (meetErrors) {
    await next.click();
    await page.getByTestId("error-gender").waitFor();
    assert.match(await page.getByTestId("error-interestedIn").innerText(), /who you want to meet/);
    assert.match(await page.getByTestId("error-region").innerText(), /region/);
  }
  await page.getByTestId(`gender-${member.gender}`).check();
  for (const who of member.interestedIn) await page.getByTestId(`interestedIn-${who}`).check();
  await page.getByTestId("field-city").fill(member.city);
  await page.getByTestId("field-region").selectOption(member.region);
  await next.click();

  await page.getByTestId("setup-step-2").waitFor();
  assert.equal(await page.getByTestId("setup-step-1").isVisible(), false);
  assert.equal(await focusedId(page), "setup-title-2", "focus moves to the new step's heading");
  await page.getByTestId("field-bio").fill(`${member.name} keeps the old ways.`);
  if (meetErrors) {
    await next.click();
    await page.getByTestId("error-vibeTags").waitFor();
  }
  for (const tag of member.tags) await page.getByTestId(`vibeTags-${tag}`).check();
  await page.getByTestId("field-prompt-0").selectOption("perfect_evening");
  await page.getByTestId("field-answer-0").fill("Candles, chess and a long walk home.");
  await next.click();

  await page.getByTestId("setup-step-3").waitFor();
  const input = page.getByTestId("photo-input");
  if (meetErrors) {
    await next.click();
    await page.getByTestId("error-photos").waitFor();
    // A file that is not a photo is refused before any upload.
    await input.setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("not a photo"),
    });
    assert.match(await page.getByTestId("photo-error").innerText(), /JPEG or PNG/);
    // A real JPEG without a face is refused by the server (422) with its reason.
    const noFace = await page.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 640;
      canvas.height = 480;
      const g = canvas.getContext("2d")!;
      const fill = g.createLinearGradient(0, 0, 640, 480);
      fill.addColorStop(0, "#203040");
      fill.addColorStop(1, "#a08040");
      g.fillStyle = fill;
      g.fillRect(0, 0, 640, 480);
      return canvas.toDataURL("image/jpeg", 0.9).split(",")[1];
    });
    await input.setInputFiles({
      name: "wall.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from(noFace, "base64"),
    });
    await page.waitForFunction(() =>
      /face/i.test(document.querySelector('[data-testid="photo-error"]')?.textContent ?? "")
    );
    assert.equal(await page.getByTestId("photo-tile").count(), 0);
    // A group photo is refused as the main photo, with the plain reason.
    await input.setInputFiles(new URL("sample1.jpg", DEMO).pathname);
    await page.waitForFunction(() =>
      /just you/.test(document.querySelector('[data-testid="photo-error"]')?.textContent ?? "")
    );
    assert.equal(
      await page.getByTestId("photo-error").innerText(),
      "Your main photo should show just you — add group photos further down.",
    );
    assert.equal(await page.getByTestId("photo-tile").count(), 0);
    await screenshot(page, "onboarding-group-photo-refused");
  }
  // Watch for the progress bar: it may come and go quickly on a loopback connection.
  await page.evaluate(() => {
    const seen = globalThis as unknown as { __progress: number[] };
    seen.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>(
        '[data-testid="photo-upload-progress"]',
      );
      if (bar) seen.__progress.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await input.setInputFiles(new URL(member.photo, DEMO).pathname);
  await page.getByTestId("photo-tile").first().waitFor({ timeout: 60_000 });
  const progress = await page.evaluate(() =>
    (globalThis as unknown as { __progress: number[] }).__progress
  );
  assert.ok(progress.length > 0, "the upload progress bar was shown");
  assert.equal(await page.getByTestId("photo-error").innerText(), "");
  const tile = page.getByTestId("photo-tile").first().locator("img");
  await page.waitForFunction(
    (img) => (img as HTMLImageElement).naturalWidth > 0,
    await tile.elementHandle(),
  );
  if (meetErrors) await screenshot(page, "onboarding-photos");
  await next.click();

  await page.getByTestId("setup-step-4").waitFor();
  await page.getByTestId("field-contactHandle").fill(`@${member.name.toLowerCase()}`);
  await next.click();
  await page.getByTestId("setup-step-5").waitFor();
  await page.getByTestId("setup-finish").click();
  await page.waitForURL(url(page) + "/vault");
}

function url(page: Page): string {
  return new URL(page.url()).origin;
}
