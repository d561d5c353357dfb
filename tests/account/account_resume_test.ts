import assert from "node:assert/strict";
import { deleteAccount, isDeletionPending, runAccountDeletion } from "@/core/account/mod.ts";
import { getMember } from "@/core/members.ts";
import type { ObjectStore } from "@/core/storage/mod.ts";
import { accountDeps } from "@/server/account/account_http.ts";
import { allObjectKeys, withApp } from "@/tests/profiles_http/_helpers.ts";
import { dumpKv, entangled, mentioning } from "./_helpers.ts";

/** The store, except that every `deleteMany` fails as an unreachable store would. */
function unreachableForDeletes(objects: ObjectStore): ObjectStore {
  return new Proxy(objects, {
    get(target, name, receiver) {
      if (name === "deleteMany") return () => Promise.reject(new Error("store unreachable"));
      const value = Reflect.get(target, name, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("[account] a deletion that fails half-way is finished by the next run", async () => {
  await withApp(async (t) => {
    const { kv } = t.app.deps;
    const { ada, bo } = await entangled(t);
    const deps = accountDeps(t.app.deps);
    await assert.rejects(
      deleteAccount({ ...deps, objects: unreachableForDeletes(deps.objects) }, ada.wallet),
      /store unreachable/,
    );
    assert.equal(await isDeletionPending(kv, ada.wallet), true);
    const member = await getMember(kv, ada.wallet);
    assert.ok(member?.suspension, "suspended while the deletion is unfinished");
    assert.equal(mentioning(await dumpKv(kv), [`"sessions_by_wallet","${ada.wallet}"`]).length, 0);

    const report = await runAccountDeletion(deps, ada.wallet);
    assert.equal(report.finished, true);
    const again = await runAccountDeletion(deps, ada.wallet);
    assert.deepEqual(again, { wallet: ada.wallet, profileId: null, photos: 0, finished: true });

    const left = mentioning(await dumpKv(kv), [ada.wallet, ada.profileId, ...ada.photoIds])
      .filter((key) => !key.startsWith('["vector_changes"'));
    assert.deepEqual(left, []);
    const objects = await allObjectKeys(t.app.deps.objects);
    assert.ok(!objects.some((key) => key.includes(ada.profileId)));
    assert.ok(objects.some((key) => key.includes(bo.profileId)));
  });
});
