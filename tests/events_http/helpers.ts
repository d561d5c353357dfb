/** Fixtures for the events HTTP tests: the real app on a manual clock, members, JSON calls. */
import assert from "node:assert/strict";
import { DEV_PERSONAS } from "@/core/auth/dev_personas.ts";
import { createManualClock, type ManualClock } from "@/core/clock.ts";
import type { AppDepsInput } from "@/server/app.ts";
import { startJobs } from "@/server/background/jobs.ts";
import { post, signInAs, type TestApp, testApp, withCookie } from "@/tests/auth_http/helpers.ts";

export { post, signInAs, withCookie };

/** 2030-01-01T00:00:00Z. */
export const T0 = Date.UTC(2030, 0, 1);
export const HOUR = 3600_000;

/** The admitted dev personas' wallets: keyholder is the admin, invitee a plain member. */
export const ADMIN = DEV_PERSONAS.find((p) => p.id === "keyholder")!.wallet;
export const MEMBER = DEV_PERSONAS.find((p) => p.id === "invitee")!.wallet;

/** A test app on a manual clock with `keyholder` as the only admin. */
export async function eventsApp(
  env: Record<string, string> = {},
  deps: Partial<AppDepsInput> = {},
): Promise<TestApp & { clock: ManualClock; startJobs(): void; stop(): Promise<void> }> {
  const clock = createManualClock(T0);
  const t = await testApp({ ADMIN_WALLETS: ADMIN, ...env }, { clock, ...deps });
  let jobs: Promise<void> | null = null;
  return {
    ...t,
    clock,
    startJobs() {
      jobs = startJobs(t.app.deps);
    },
    async stop() {
      await t.close();
      await jobs;
    },
  };
}

/** A JSON request with the session cookie (`method` defaults to GET). */
export function call(
  cookie: string,
  method = "GET",
  body?: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  const init = withCookie(cookie, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return init;
}

/** Expects `status` and returns the JSON body. */
export async function expectJson(res: Response, status: number) {
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  return body;
}

/** Creates an event through the admin API (starting in a day unless overridden). */
export async function createEventHttp(
  t: TestApp & { clock: ManualClock },
  adminCookie: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await t.fetch(
    "/api/events",
    call(adminCookie, "POST", {
      name: "Midnight Salon",
      description: "Members only.",
      imageUrl: "https://aurum.test/images/salon.jpg",
      startsAt: t.clock.now() + 24 * HOUR,
      endsAt: t.clock.now() + 27 * HOUR,
      maxTickets: 1,
      ...overrides,
    }),
  );
  return (await expectJson(res, 201)).event;
}

/** Claims a ticket over HTTP with a fresh idempotency key; returns the response. */
export function claim(t: TestApp, cookie: string, eventId: string, body?: unknown) {
  return t.fetch(
    `/api/events/${eventId}/tickets`,
    call(cookie, "POST", body, { "idempotency-key": `claim-${crypto.randomUUID()}` }),
  );
}

export { post as postJson };
