/**
 * The island props payload, shared by server and browser (no Deno APIs).
 *
 * Format: a JSON array `table`. Entry 0 lists the root values (one per island) as table indexes.
 * Every other entry is one value: a JSON primitive as itself, a plain array as an array of indexes,
 * a plain object as `{ key: index }`, and a special value as `[tag, ...]` (a string first element
 * tells it apart from a plain array). Negative indexes stand for values JSON cannot hold.
 * Because every non-primitive is an entry, shared and circular references survive.
 */
import { isValidElement } from "preact";

const UNDEFINED = -1, NAN = -2, INFINITY = -3, NEG_INFINITY = -4, NEG_ZERO = -5;
const SIGNAL_BRAND = Symbol.for("preact-signals");

type Entry = unknown;

interface SignalLike {
  brand: symbol;
  peek(): unknown;
}

/** Whether `value` is a Preact signal (including computed ones), from any copy of the library. */
export function isSignal(value: unknown): value is SignalLike {
  return typeof value === "object" && value !== null &&
    (value as { brand?: unknown }).brand === SIGNAL_BRAND;
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** Collects the props of every island on a page into one payload. */
export class PropsSerializer {
  #table: Entry[] = [[]];
  #indexes = new Map<unknown, number>();
  /** True once a signal was written, so the browser knows to load `@preact/signals`. */
  hasSignals = false;
  #label = "";

  /** Adds one island's props; `label` names the island in error messages. Returns its position. */
  add(value: unknown, label: string): number {
    const roots = this.#table[0] as number[];
    this.#label = label;
    roots.push(this.#encode(value, "props"));
    return roots.length - 1;
  }

  /** The number of roots added so far. */
  get size(): number {
    return (this.#table[0] as number[]).length;
  }

  /** The payload as JSON text. */
  toJSON(): string {
    return JSON.stringify(this.#table);
  }

  #push(value: unknown, entry: Entry): number {
    const index = this.#table.push(entry) - 1;
    this.#indexes.set(value, index);
    return index;
  }

  #encode(value: unknown, path: string): number {
    switch (typeof value) {
      case "undefined":
        return UNDEFINED;
      case "number":
        if (Number.isNaN(value)) return NAN;
        if (value === Infinity) return INFINITY;
        if (value === -Infinity) return NEG_INFINITY;
        if (Object.is(value, -0)) return NEG_ZERO;
        return this.#indexes.get(value) ?? this.#push(value, value);
      case "string":
      case "boolean":
        return this.#indexes.get(value) ?? this.#push(value, value);
      case "bigint":
        return this.#indexes.get(value) ?? this.#push(value, ["b", value.toString()]);
      case "function":
        throw new Error(
          `${this.#label}: cannot serialize ${path}, it is a function. Island props must be serializable ` +
            `(JSON, Date, URL, Map, Set, bigint, Uint8Array, signals or JSX); ` +
            `move the function into the island.`,
        );
      case "symbol":
        throw new Error(`${this.#label}: cannot serialize ${path}, symbols are not serializable.`);
    }
    if (value === null) return this.#indexes.get(null) ?? this.#push(null, null);
    const obj = value as object;
    const known = this.#indexes.get(obj);
    if (known !== undefined) return known;
    if (isSignal(obj)) {
      this.hasSignals = true;
      const entry: unknown[] = ["s"];
      const index = this.#push(obj, entry);
      entry.push(this.#encode(obj.peek(), `${path}.value`));
      return index;
    }
    if (isValidElement(obj)) {
      throw new Error(
        `${this.#label}: cannot serialize ${path}, JSX is only supported directly as a prop (a slot), ` +
          `not nested inside another value.`,
      );
    }
    if (obj instanceof Date) {
      const time = obj.getTime();
      return this.#push(obj, ["D", Number.isNaN(time) ? null : time]);
    }
    if (obj instanceof URL) return this.#push(obj, ["U", obj.href]);
    if (obj instanceof Uint8Array) return this.#push(obj, ["u", toBase64(obj)]);
    if (obj instanceof Map) {
      const entry: unknown[] = ["M"];
      const index = this.#push(obj, entry);
      let i = 0;
      for (const [k, v] of obj) {
        entry.push(this.#encode(k, `${path}<key ${i}>`), this.#encode(v, `${path}<value ${i}>`));
        i++;
      }
      return index;
    }
    if (obj instanceof Set) {
      const entry: unknown[] = ["S"];
      const index = this.#push(obj, entry);
      let i = 0;
      for (const v of obj) entry.push(this.#encode(v, `${path}<item ${i++}>`));
      return index;
    }
    if (Array.isArray(obj)) {
      const entry: number[] = [];
      const index = this.#push(obj, entry);
      for (let i = 0; i < obj.length; i++) entry.push(this.#encode(obj[i], `${path}[${i}]`));
      return index;
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const index = this.#encode(toJSON.call(obj), path);
      this.#indexes.set(obj, index);
      return index;
    }
    const entry: Record<string, number> = {};
    const index = this.#push(obj, entry);
    for (const key of Object.keys(obj)) {
      const child = this.#encode((obj as Record<string, unknown>)[key], `${path}.${key}`);
      Object.defineProperty(entry, key, { value: child, enumerable: true, writable: true });
    }
    return index;
  }
}

/** Options for {@link deserialize}. */
export interface DeserializeOptions {
  /** Creates a signal; required when the payload contains signals. */
  signal?: (value: unknown) => { value: unknown };
}

/** Turns a payload back into the list of root values (one per island). */
export function deserialize(json: string, options: DeserializeOptions = {}): unknown[] {
  const table = JSON.parse(json) as Entry[];
  const values = new Map<number, unknown>();
  const specials = [undefined, undefined, NaN, Infinity, -Infinity, -0];

  const decode = (index: number): unknown => {
    if (index < 0) return specials[-index];
    if (values.has(index)) return values.get(index);
    const entry = table[index];
    if (entry === null || typeof entry !== "object") return entry;
    if (Array.isArray(entry)) {
      if (typeof entry[0] !== "string") {
        const arr: unknown[] = [];
        values.set(index, arr);
        for (const i of entry as number[]) arr.push(decode(i));
        return arr;
      }
      return decodeTagged(index, entry);
    }
    const obj: Record<string, unknown> = {};
    values.set(index, obj);
    for (const key of Object.keys(entry)) {
      const value = decode((entry as Record<string, number>)[key]);
      // defineProperty keeps a `__proto__` key an own property instead of a prototype change.
      Object.defineProperty(obj, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return obj;
  };

  const decodeTagged = (index: number, entry: unknown[]): unknown => {
    const [tag, ...rest] = entry as [string, ...unknown[]];
    const refs = rest as number[];
    let value: unknown;
    switch (tag) {
      case "b":
        value = BigInt(rest[0] as string);
        break;
      case "D":
        value = new Date(rest[0] === null ? NaN : rest[0] as number);
        break;
      case "U":
        value = new URL(rest[0] as string);
        break;
      case "u":
        value = fromBase64(rest[0] as string);
        break;
      case "M": {
        const map = new Map();
        values.set(index, map);
        for (let i = 0; i < refs.length; i += 2) map.set(decode(refs[i]), decode(refs[i + 1]));
        return map;
      }
      case "S": {
        const set = new Set();
        values.set(index, set);
        for (const i of refs) set.add(decode(i));
        return set;
      }
      case "s": {
        if (!options.signal) {
          throw new Error("The island props contain signals but no signal factory");
        }
        const sig = options.signal(undefined);
        values.set(index, sig);
        sig.value = decode(refs[0]);
        return sig;
      }
      default:
        throw new Error(`Unknown island props tag "${tag}"`);
    }
    values.set(index, value);
    return value;
  };

  return (table[0] as number[]).map(decode);
}

/** Writes `text` as a JS string literal that is safe inside an HTML `<script>` element. */
export function scriptStringLiteral(text: string): string {
  return JSON.stringify(text).replace(
    /[<\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
