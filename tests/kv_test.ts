import assert from "node:assert/strict";
import { ConflictError } from "@/core/errors.ts";
import { commitWithRetry, getMany } from "@/core/kv.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

Deno.test("[kv] getMany reads more than 10 keys, in key order, absent ones included", async () => {
  using kv = await Deno.openKv(":memory:");
  for (let i = 0; i < 25; i += 2) await kv.set(["n", i], i);
  const entries = await getMany<number>(kv, range(25).map((i) => ["n", i]));
  assert.deepEqual(entries.map((entry) => entry.key[1]), range(25));
  assert.deepEqual(
    entries.map((entry) => entry.value),
    range(25).map((i) => i % 2 === 0 ? i : null),
  );
  assert.deepEqual(await getMany(kv, []), []);
});

Deno.test("[kv] commitWithRetry retries lost races until every increment lands", async () => {
  using kv = await Deno.openKv(":memory:");
  const increment = () =>
    commitWithRetry(async () => {
      const entry = await kv.get<number>(["counter"]);
      const next = (entry.value ?? 0) + 1;
      return { op: kv.atomic().check(entry).set(["counter"], next), value: next };
    }, () => new ConflictError("counter_contended", "Retry."));
  const results = await Promise.all(range(12).map(increment));
  assert.equal((await kv.get(["counter"])).value, 12);
  assert.deepEqual(results.toSorted((a, b) => a - b), range(12).map((i) => i + 1));
});

Deno.test("[kv] commitWithRetry finishes without committing, or reads again on null", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.equal(await commitWithRetry(() => ({ value: "done" }), () => new Error()), "done");
  const seen: number[] = [];
  const value = await commitWithRetry(
    (attempt) => {
      seen.push(attempt);
      return attempt < 2 ? null : { op: kv.atomic().set(["k"], 1), value: attempt };
    },
    () => new Error(),
    { pause: null },
  );
  assert.deepEqual([value, seen], [2, [0, 1, 2]]);
});

Deno.test("[kv] commitWithRetry throws the caller's error after the last lost race", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["k"], 0);
  const attempts: number[] = [];
  await assert.rejects(
    commitWithRetry(
      async (attempt) => {
        attempts.push(attempt);
        const entry = await kv.get(["k"]);
        await kv.set(["k"], attempt + 1); // a rival write lands between our read and our commit
        return { op: kv.atomic().check(entry).set(["k"], -1), value: "lost" };
      },
      () => new ConflictError("k_contended", "Retry."),
      { attempts: 4 },
    ),
    (error) => error instanceof ConflictError && error.code === "k_contended",
  );
  assert.deepEqual(attempts, [0, 1, 2, 3]);
  assert.equal((await kv.get(["k"])).value, 4);
});
