import assert from "node:assert/strict";
import {
  assertDevSignInAllowed,
  DEV_PERSONAS,
  signInAsDevPersona,
} from "@/core/auth/dev_personas.ts";
import { getSession } from "@/core/auth/sessions.ts";
import { createManualClock } from "@/core/clock.ts";
import { ForbiddenError, NotFoundError } from "@/core/errors.ts";

Deno.test("[auth] dev personas: each signs in with its own state and a dev session", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const deps = { kv, clock, enabled: true };
    const states: Record<string, unknown> = {};
    for (const persona of DEV_PERSONAS) {
      const { member, session } = await signInAsDevPersona(deps, persona.id);
      assert.match(member.wallet, /^0x[0-9a-f]{40}$/);
      assert.equal((await getSession(kv, clock, session.id))?.method, "dev");
      states[persona.id] = [member.worldId !== null, member.membership.via];
    }
    assert.deepEqual(states, {
      newcomer: [false, null],
      seeker: [true, null],
      keyholder: [true, "gate_nft"],
      invitee: [true, "invite"],
    });
    const again = await signInAsDevPersona(deps, "invitee");
    assert.equal(again.member.membership.via, "invite", "signing in twice is idempotent");
    assert.equal(new Set(DEV_PERSONAS.map((persona) => persona.wallet)).size, DEV_PERSONAS.length);
  } finally {
    kv.close();
  }
});

Deno.test("[auth] dev personas: refused when disabled, unknown ids, and never in production", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    await assert.rejects(
      () => signInAsDevPersona({ kv, clock, enabled: false }, "seeker"),
      (error: unknown) => error instanceof ForbiddenError && error.code === "dev_sign_in_disabled",
    );
    await assert.rejects(
      () => signInAsDevPersona({ kv, clock, enabled: true }, "root"),
      (error: unknown) => error instanceof NotFoundError && error.code === "dev_persona_unknown",
    );
    assert.throws(() => assertDevSignInAllowed("production", true), /production/);
    assertDevSignInAllowed("production", false);
    assertDevSignInAllowed("development", true);
  } finally {
    kv.close();
  }
});
