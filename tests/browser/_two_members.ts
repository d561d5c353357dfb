/**
 * Two members in two Chromium contexts at 390x844 (dev personas, each with a profile and a real face
 * photo from the face-api demo set, created through the API), against the real app on loopback.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { withAppServer } from "@/tests/helpers/app_server.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const DEMO = new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url);

/** Runs `fn` with the app served on loopback (dev sign-in on, `:memory:` KV). */
export async function withServer(fn: (url: string) => Promise<void>) {
  await withAppServer(({ url }) => fn(url), { prefix: "aurum-two-members-" });
}

/** A member signed in in their own browser context. */
export interface Member {
  context: BrowserContext;
  page: Page;
  errors: string[];
  profileId: string;
  photoId: string;
}

/** Signs in as `persona`, creates the profile and uploads the photo, all through the API. */
export async function member(
  browser: Browser,
  url: string,
  persona: string,
  name: string,
  photo: string | Uint8Array,
): Promise<Member> {
  const context = await browser.newContext(PHONE);
  const headers = { origin: url };
  const signIn = await context.request.post(`${url}/api/auth/dev`, {
    data: { persona },
    headers,
  });
  assert.equal(signIn.status(), 200, await signIn.text());
  const created = await context.request.post(`${url}/api/profiles`, {
    data: validInput({ displayName: name }),
    headers,
  });
  assert.equal(created.status(), 201, await created.text());
  const profileId = (await created.json()).profile.id;
  const upload = await context.request.post(`${url}/api/profiles/${profileId}/photos`, {
    data: Buffer.from(
      typeof photo === "string" ? await Deno.readFile(new URL(photo, DEMO)) : photo,
    ),
    headers: { ...headers, "content-type": "image/jpeg" },
  });
  assert.equal(upload.status(), 201, await upload.text());
  const photoId = (await upload.json()).photo.id;
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors, profileId, photoId };
}

/** The bytes `who` is served for `of`'s photo (blurred or real). */
export async function photoBytes(who: Member, url: string, of: Member): Promise<Uint8Array> {
  const res = await who.context.request.get(
    `${url}/api/profiles/${of.profileId}/photos/${of.photoId}?size=card`,
  );
  assert.equal(res.status(), 200);
  return new Uint8Array(await res.body());
}

/** Opens the vault and waits until the live stream is connected (the islands have hydrated). */
export async function openVault(m: Member, url: string) {
  const stream = m.page.waitForResponse((r) => r.url().includes("/api/notifications/stream"));
  await m.page.goto(`${url}/vault`, { waitUntil: "load" });
  await stream;
}

/** A photo that passes as a main photo (one prominent face), unlike most demo photos. */
export async function portraitPhoto(): Promise<Uint8Array> {
  return await plainJpeg(await uprightPhoto());
}
