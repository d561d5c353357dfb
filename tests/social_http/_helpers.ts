/** Fixtures for the social HTTP tests: the real app on `:memory:` KV, members with sessions. */
import { createSession } from "@/core/auth/sessions.ts";
import { bindNullifier, ensureMember } from "@/core/members.ts";
import type { Clock } from "@/core/clock.ts";
import { type TestApp, testApp } from "@/tests/auth_http/helpers.ts";
import {
  as,
  createProfileOver,
  newMember,
  recordMainPhoto,
  sendJson,
  type TestMember,
} from "@/tests/profiles_http/_helpers.ts";

export {
  as,
  createProfileOver,
  newMember,
  recordMainPhoto,
  sendJson,
  type TestApp,
  type TestMember,
};

/** Runs `body` with a fresh app (proxy trusted, so tests pick client IPs) and closes it. */
export async function withSocialApp(
  body: (t: TestApp) => Promise<void>,
  deps: Parameters<typeof testApp>[1] = {},
): Promise<void> {
  const t = await testApp({ TRUST_PROXY: "true" }, deps);
  try {
    await body(t);
  } finally {
    await t.close();
  }
}

let seekerCount = 0;

/** A World ID–verified member who is not admitted, with a session cookie (a "seeker"). */
export async function newSeeker(kv: Deno.Kv, clock: Clock): Promise<TestMember> {
  const n = ++seekerCount + (crypto.getRandomValues(new Uint32Array(1))[0] % 1e9) * 1000;
  const hex = n.toString(16).padStart(12, "0");
  const wallet = `0x5eec${hex.padStart(36, "0")}`;
  await ensureMember(kv, clock, wallet);
  await bindNullifier(kv, clock, wallet, {
    nullifierHash: `0x5eec${hex.padStart(60, "0")}`,
    verificationLevel: "orb",
  });
  const { id } = await createSession(kv, clock, { wallet, method: "dev", ttlSeconds: 3600 });
  return { wallet, cookie: id };
}

/** An admitted member with a profile; returns the member and the profile id. */
export async function memberWithProfile(
  t: TestApp,
  overrides: Record<string, unknown> = {},
): Promise<TestMember & { profileId: string }> {
  const member = await newMember(t);
  const profile = await createProfileOver(t, member, overrides);
  return { ...member, profileId: profile.id };
}

/** Request init as `member`, from client IP `ip`. */
export function from(member: TestMember, ip: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(as(member, init).headers);
  headers.set("x-forwarded-for", ip);
  return { ...init, headers };
}

/** POST JSON as `member` and return status and body. */
export async function call(
  t: TestApp,
  method: string,
  path: string,
  member: TestMember,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any; headers: Headers }> {
  const init = body === undefined ? as(member, { method }) : sendJson(method, body, member);
  const res = await t.fetch(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A form post (`application/x-www-form-urlencoded`) of `fields`, as a browser sends without JS. */
export function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}
