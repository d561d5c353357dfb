/**
 * The header names the signed-in member on every page of theirs, by short wallet (0x1234…abcd),
 * including pages that bring no header content of their own; nobody is named when signed out.
 */
import assert from "node:assert/strict";
import { getAddress } from "viem";
import {
  as,
  memberWithProfile,
  recordMainPhoto,
  withSocialApp,
} from "@/tests/social_http/_helpers.ts";

Deno.test("[ux] the header shows the member's short wallet on every member page, nothing when signed out", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    await recordMainPhoto(t, alice);
    const address = getAddress(alice.wallet);
    const short = `${address.slice(0, 6)}…${address.slice(-4)}`;
    for (const path of ["/vault", "/matches", "/invites", "/events", "/profile/edit", "/"]) {
      const res = await t.fetch(path, as(alice));
      assert.equal(res.status, 200, path);
      const header = (await res.text()).match(/<header class="shell__header">[\s\S]*?<\/header>/)
        ?.[0] ?? "";
      assert.match(header, new RegExp(`data-testid="session-name">${short}<`), path);
      assert.match(header, /data-testid="signout"/, path);
    }
    const anonymous = await (await t.fetch("/")).text();
    assert.doesNotMatch(anonymous, /data-testid="session-name"/);
  });
});
