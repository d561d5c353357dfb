/** A STAND-IN for a Qdrant server, not Qdrant: the REST endpoints the Qdrant vector store uses, on loopback, with exact brute-force cosine search. */
import type { Schemas } from "@qdrant/js-client-rest";

type Payload = Record<string, unknown>;
interface StoredPoint {
  id: Schemas["ExtendedPointId"];
  vector: number[];
  payload: Payload;
  version: number;
}
interface Collection {
  config: Schemas["CreateCollection"];
  points: Map<string, StoredPoint>;
  indexes: Map<string, Schemas["PayloadFieldSchema"]>;
}

/** A running stand-in: its base URL, what it holds, and `close()`. */
export interface QdrantStandin {
  url: string;
  collections: Map<string, Collection>;
  /** Every request seen, as "METHOD /path". */
  requests: string[];
  close(): Promise<void>;
}

const ok = (result: unknown) => Response.json({ result, status: "ok", time: 0 });
const fail = (status: number, error: string) =>
  Response.json({ status: { error }, time: 0 }, { status });

function conditions(value: Schemas["Filter"]["must"]): Schemas["Condition"][] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as Schemas["Condition"]];
}

function matchesCondition(point: StoredPoint, condition: Schemas["Condition"]): boolean {
  if ("must" in condition || "must_not" in condition || "should" in condition) {
    return matchesFilter(point, condition as Schemas["Filter"]);
  }
  const field = condition as Schemas["FieldCondition"];
  if (!("key" in field) || !field.match) throw new Error("stand-in: unsupported condition");
  const actual = point.payload[field.key];
  const match = field.match as Schemas["Match"];
  if ("value" in match) return actual === match.value;
  if ("any" in match) return (match.any as unknown[]).includes(actual);
  throw new Error("stand-in: unsupported match");
}

function matchesFilter(point: StoredPoint, filter?: Schemas["Filter"] | null): boolean {
  if (!filter) return true;
  if (filter.should) throw new Error("stand-in: `should` is not served");
  return conditions(filter.must).every((c) => matchesCondition(point, c)) &&
    !conditions(filter.must_not).some((c) => matchesCondition(point, c));
}

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function pickPayload(payload: Payload, withPayload: Schemas["QueryRequest"]["with_payload"]) {
  if (withPayload === true) return payload;
  if (Array.isArray(withPayload)) {
    return Object.fromEntries(withPayload.filter((k) => k in payload).map((k) => [k, payload[k]]));
  }
  return null;
}

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export function startQdrantStandin(): QdrantStandin {
  const collections = new Map<string, Collection>();
  const requests: string[] = [];
  let version = 0;
  const updated = (): Schemas["UpdateResult"] => ({ operation_id: ++version, status: "completed" });

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    requests.push(`${req.method} ${url.pathname}`);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "collections" || !parts[1]) return fail(404, "not served by the stand-in");
    const name = parts[1];
    const rest = parts.slice(2).join("/");
    const route = `${req.method} ${rest}`;
    if (route === "GET exists") {
      return ok({ exists: collections.has(name) } satisfies Schemas["CollectionExistence"]);
    }
    if (route === "PUT ") {
      if (collections.has(name)) return fail(409, `Collection ${name} already exists`);
      const config = await req.json() as Schemas["CreateCollection"];
      collections.set(name, { config, points: new Map(), indexes: new Map() });
      return ok(true);
    }
    const collection = collections.get(name);
    if (!collection) return fail(404, `Collection ${name} not found`);
    switch (route) {
      case "PUT index": {
        const body = await req.json() as Schemas["CreateFieldIndex"];
        collection.indexes.set(body.field_name, body.field_schema as Schemas["PayloadFieldSchema"]);
        return ok(updated());
      }
      case "PUT points": {
        const body = await req.json() as Schemas["PointInsertOperations"];
        if (!("points" in body)) return fail(400, "stand-in: only point lists are served");
        const size = (collection.config.vectors as Schemas["VectorParams"]).size;
        for (const p of body.points) {
          const vector = p.vector as number[];
          if (!Array.isArray(vector) || vector.length !== size) {
            return fail(400, `Wrong input: Vector dimension error: expected dim: ${size}`);
          }
          collection.points.set(String(p.id), {
            id: p.id,
            vector,
            payload: { ...(p.payload ?? {}) },
            version,
          });
        }
        return ok(updated());
      }
      case "POST points/delete": {
        const body = await req.json() as Schemas["PointsSelector"];
        if ("points" in body) {
          for (const id of body.points) collection.points.delete(String(id));
        } else {
          for (const [id, p] of collection.points) {
            if (matchesFilter(p, body.filter)) collection.points.delete(id);
          }
        }
        return ok(updated());
      }
      case "POST points/payload": {
        const body = await req.json() as Schemas["SetPayload"];
        for (const p of collection.points.values()) {
          const chosen = body.points
            ? body.points.map(String).includes(String(p.id))
            : matchesFilter(p, body.filter as Schemas["Filter"] | undefined);
          if (chosen) p.payload = { ...p.payload, ...body.payload };
        }
        return ok(updated());
      }
      case "POST points/query": {
        const body = await req.json() as Schemas["QueryRequest"];
        const query = body.query as number[];
        if (!Array.isArray(query)) return fail(400, "stand-in: only nearest-vector queries");
        const limit = body.limit ?? 10;
        const points: Schemas["ScoredPoint"][] = [...collection.points.values()]
          .filter((p) => matchesFilter(p, body.filter as Schemas["Filter"] | undefined))
          .map((p) => ({
            id: p.id,
            version: p.version,
            score: cosine(query, p.vector),
            payload: pickPayload(p.payload, body.with_payload),
          }))
          .sort((a, b) => b.score - a.score)
          .slice(0, limit);
        return ok({ points } satisfies Schemas["QueryResponse"]);
      }
    }
    return fail(404, `stand-in: ${route} is not served`);
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handle(req).catch((error) => fail(500, String(error))),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    collections,
    requests,
    close: () => server.shutdown(),
  };
}
