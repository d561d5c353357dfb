import assert from "node:assert/strict";
import { computed, type Signal, signal } from "@preact/signals";
import { h } from "preact";
import {
  deserialize,
  isSignal,
  PropsSerializer,
  scriptStringLiteral,
} from "@/fresh/islands/serialize.ts";

function roundTrip(...values: unknown[]): unknown[] {
  const s = new PropsSerializer();
  values.forEach((v, i) => s.add(v, `Island "T${i}"`));
  return deserialize(s.toJSON(), { signal: (v) => signal(v) });
}

Deno.test("[islands] serialize: plain JSON and special numbers", () => {
  const value = {
    s: "text",
    n: 1.5,
    b: true,
    nil: null,
    list: [1, "two", [3]],
    nested: { deep: { x: 1 } },
    u: undefined,
    special: [NaN, Infinity, -Infinity, -0, 0],
  };
  const [back] = roundTrip(value) as [typeof value];
  assert.deepEqual(back, value);
  assert.ok(Object.is(back.special[3], -0));
  assert.ok("u" in back);
});

Deno.test("[islands] serialize: Date, URL, Map, Set, bigint, Uint8Array", () => {
  const value = {
    date: new Date(Date.UTC(2021, 1, 3, 4, 5, 6, 7)),
    invalid: new Date(NaN),
    url: new URL("https://example.com/a?b=c#d"),
    map: new Map<unknown, unknown>([["k", 1], [{ o: 1 }, new Set([1])]]),
    set: new Set(["a", 2n]),
    big: -(2n ** 70n),
    bytes: new Uint8Array([0, 127, 128, 255]),
  };
  const [back] = roundTrip(value) as [typeof value];
  assert.deepEqual(back, value);
  assert.ok(
    back.date instanceof Date && back.url instanceof URL && back.bytes instanceof Uint8Array,
  );
  assert.ok(Number.isNaN(back.invalid.getTime()));
});

Deno.test("[islands] serialize: shared and circular references, across islands", () => {
  const shared: Record<string, unknown> = { name: "shared" };
  shared.self = shared;
  const list: unknown[] = [shared];
  list.push(list);
  const map = new Map<string, unknown>();
  map.set("me", map);
  // deno-lint-ignore no-explicit-any
  type Loose = Record<string, any>;
  const [a, b] = roundTrip({ x: shared, y: shared, list, map }, { z: shared }) as [
    Loose,
    Loose,
  ];
  assert.equal(a.x, a.y);
  assert.equal(a.x.self, a.x);
  assert.equal(b.z, a.x);
  assert.equal(a.list[1], a.list);
  assert.equal(a.list[0], a.x);
  assert.equal(a.map.get("me"), a.map);
});

Deno.test("[islands] serialize: signals arrive as one signal instance; computed as a signal", () => {
  const count = signal(3);
  const double = computed(() => count.value * 2);
  const s = new PropsSerializer();
  s.add({ count, double }, "A");
  s.add({ count }, "B");
  assert.equal(s.hasSignals, true);
  const [a, b] = deserialize(s.toJSON(), { signal: (v) => signal(v) }) as Record<
    string,
    Signal<number>
  >[];
  assert.ok(isSignal(a.count) && isSignal(a.double));
  assert.equal(a.count, b.count);
  assert.equal(a.count.value, 3);
  assert.equal(a.double.value, 6);
  assert.throws(() => deserialize(s.toJSON()), /signal/);
});

Deno.test("[islands] serialize: functions, symbols and nested JSX are rejected with the path", () => {
  const s = new PropsSerializer();
  assert.throws(
    () => s.add({ items: [{ onPick: () => {} }] }, 'Island "Picker"'),
    /Island "Picker": cannot serialize props\.items\[0\]\.onPick, it is a function/,
  );
  assert.throws(() => s.add({ s: Symbol("x") }, "I"), /props\.s, symbols/);
  assert.throws(() => s.add({ deep: { el: h("b", null) } }, "I"), /props\.deep\.el, JSX/);
});

Deno.test("[islands] serialize: __proto__ keys stay data", () => {
  const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const [back] = roundTrip(value) as [Record<string, unknown>];
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.deepEqual(Object.keys(back), ["__proto__", "a"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("[islands] serialize: script literal escapes </script, <!-- and U+2028/2029", () => {
  const text = "</script><!-- \u2028\u2029 </SCRIPT";
  const literal = scriptStringLiteral(text);
  assert.ok(!/<\/script|<!--|\u2028|\u2029/i.test(literal));
  assert.equal(new Function(`return ${literal}`)(), text);
});
