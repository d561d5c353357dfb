/**
 * Filesystem object store, the embedded default. Layout under `root`, for key `a/b/photo.jpg`:
 * - `a/b/photo.jpg~v-<uuid>`: the bytes of one version, written and synced before it becomes visible;
 * - `a/b/photo.jpg~meta.json`: the sidecar (content type, metadata, size, etag, version file name).
 * Replacing the sidecar with a rename is the commit point, so readers see the old or the new object,
 * never a torn one; create-only puts commit with a hard link, which fails atomically if the key exists.
 * Keys cannot contain `~`, so these names never collide with a key's directories.
 */
import { z } from "zod";
import { type Clock, systemClock } from "@/core/clock.ts";
import { ConflictError, DomainError } from "@/core/errors.ts";
import { discardBody, sizeBody } from "./body.ts";
import {
  fileRangeStream,
  fsUnavailable as unavailable,
  removeIfPresent,
  writeVersion,
} from "./fs_files.ts";
import { type FsStoreSettings, parseFsSettings } from "./config.ts";
import { resolveRange } from "./range.ts";
import { createUrlSigner, type SignedUrlClaims } from "./signed_url.ts";
import type {
  GetOptions,
  GetResult,
  ListResult,
  ObjectBody,
  ObjectDetails,
  ObjectInfo,
  ObjectStore,
  PutOptions,
} from "./types.ts";
import {
  assertValidKey,
  assertValidPrefix,
  decodeCursor,
  encodeCursor,
  parseListOptions,
  parsePutOptions,
  parseSignedUrlOptions,
} from "./validate.ts";

/** The filesystem store; it also verifies the URLs it signs (for the HTTP layer). */
export interface FsObjectStore extends ObjectStore {
  readonly kind: "fs";
  /** Checks a signed URL requested with `method` at `now` (epoch ms); throws `ForbiddenError`. */
  verifySignedUrl(url: string | URL, now?: number, method?: string): Promise<SignedUrlClaims>;
  /**
   * Removes what interrupted writes left behind: `~tmp-` sidecars, `~ping-` probes and `~v-`
   * versions no sidecar names, last modified more than `olderThanMs` ago (younger ones may belong to
   * a write still running). Returns how many files it removed.
   */
  sweepInterrupted(olderThanMs?: number): Promise<number>;
}

/** Age past which a leftover of a write is certainly not a write still in progress. */
export const INTERRUPTED_WRITE_AGE_MS = 10 * 60 * 1000;

const META_SUFFIX = "~meta.json";

const SidecarSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  size: z.number().int().min(0),
  etag: z.string().regex(/^[0-9a-f]{32}$/),
  contentType: z.string().min(1),
  metadata: z.record(z.string(), z.string()),
  lastModified: z.number().int(),
  file: z.string().regex(/^[A-Za-z0-9._-]+~v-[0-9a-f-]{36}$/),
});
type Sidecar = z.infer<typeof SidecarSchema>;

/** Runs `operation`, passing domain errors through and turning filesystem failures into 503s. */
async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unavailable(error);
  }
}

/** Creates the filesystem object store under `settings.root`. */
export function createFsObjectStore(
  settings: FsStoreSettings,
  options: { clock?: Clock } = {},
): FsObjectStore {
  const clock = options.clock ?? systemClock;
  const config = parseFsSettings(settings);
  const root = config.root.replace(/\/+$/, "") || "/";
  const signer = createUrlSigner({ signingKey: config.signingKey, baseUrl: config.publicBaseUrl });

  const locate = (key: string) => {
    const slash = key.lastIndexOf("/");
    const directory = slash < 0 ? root : `${root}/${key.slice(0, slash)}`;
    const name = key.slice(slash + 1);
    return { directory, name, sidecar: `${directory}/${name}${META_SUFFIX}` };
  };

  const readSidecar = async (key: string): Promise<Sidecar | null> => {
    let text: string;
    try {
      text = await Deno.readTextFile(locate(key).sidecar);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return null;
      }
      throw error;
    }
    const parsed = SidecarSchema.safeParse(JSON.parse(text));
    if (!parsed.success || parsed.data.key !== key) {
      throw new Error(`corrupt sidecar for ${JSON.stringify(key)}`);
    }
    return parsed.data;
  };

  const details = (sidecar: Sidecar): ObjectDetails => ({
    key: sidecar.key,
    size: sidecar.size,
    etag: sidecar.etag,
    lastModified: sidecar.lastModified,
    contentType: sidecar.contentType,
    metadata: { ...sidecar.metadata },
  });

  const put = (key: string, body: ObjectBody, putOptions: PutOptions) =>
    guarded(async () => {
      assertValidKey(key);
      const valid = parsePutOptions(putOptions);
      const sized = sizeBody(body, valid.contentLength);
      const { directory, name, sidecar } = locate(key);
      try {
        if (valid.ifNoneMatch && (await readSidecar(key))) throw exists(key);
        await Deno.mkdir(directory, { recursive: true, mode: 0o700 });
      } catch (error) {
        await discardBody(sized);
        throw error;
      }
      const id = crypto.randomUUID();
      const file = `${name}~v-${id}`;
      const temporary = `${directory}/${name}~tmp-${id}`;
      let committed = false;
      try {
        const { size, md5 } = await writeVersion(`${directory}/${file}`, sized.body);
        const record: Sidecar = {
          v: 1,
          key,
          size,
          etag: md5,
          contentType: valid.contentType,
          metadata: valid.metadata ?? {},
          lastModified: clock.now(),
          file,
        };
        await Deno.writeTextFile(temporary, JSON.stringify(record), {
          createNew: true,
          mode: 0o600,
        });
        if (valid.ifNoneMatch) {
          try {
            await Deno.link(temporary, sidecar);
          } catch (error) {
            if (error instanceof Deno.errors.AlreadyExists) throw exists(key);
            throw error;
          }
          committed = true;
        } else {
          const previous = await readSidecar(key).catch(() => null);
          await Deno.rename(temporary, sidecar);
          committed = true;
          if (previous && previous.file !== file) {
            await removeIfPresent(`${directory}/${previous.file}`);
          }
        }
        return { key, size, etag: md5, lastModified: record.lastModified };
      } finally {
        await removeIfPresent(temporary).catch(() => {});
        if (!committed) await removeIfPresent(`${directory}/${file}`).catch(() => {});
      }
    });

  const get = (key: string, getOptions: GetOptions = {}) =>
    guarded(async (): Promise<GetResult | null> => {
      assertValidKey(key);
      // A concurrent overwrite may remove the version a sidecar names between the two reads: retry.
      for (let attempt = 0; attempt < 3; attempt++) {
        const sidecar = await readSidecar(key);
        if (!sidecar) return null;
        const range = getOptions.range ? resolveRange(getOptions.range, sidecar.size) : undefined;
        let file: Deno.FsFile;
        try {
          file = await Deno.open(`${locate(key).directory}/${sidecar.file}`, { read: true });
        } catch (error) {
          if (error instanceof Deno.errors.NotFound) continue;
          throw error;
        }
        const start = range?.start ?? 0;
        const length = range ? range.end - range.start + 1 : sidecar.size;
        return {
          ...details(sidecar),
          body: fileRangeStream(file, start, length),
          ...(range ? { range } : {}),
        };
      }
      return null;
    });

  const remove = async (key: string) => {
    const sidecar = await readSidecar(key).catch(() => null);
    const { directory, sidecar: sidecarPath } = locate(key);
    await removeIfPresent(sidecarPath).catch((error) => {
      if (!(error instanceof Deno.errors.NotADirectory)) throw error;
    });
    if (sidecar) await removeIfPresent(`${directory}/${sidecar.file}`);
  };

  /** Every key under `directory` (recursively), as full keys. */
  const walk = async (directory: string, keyPrefix: string, into: string[]): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(directory));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return;
      }
      throw error;
    }
    for (const entry of entries) {
      if (entry.isDirectory && !entry.name.includes("~")) {
        await walk(`${directory}/${entry.name}`, `${keyPrefix}${entry.name}/`, into);
      } else if (entry.isFile && entry.name.endsWith(META_SUFFIX)) {
        into.push(keyPrefix + entry.name.slice(0, -META_SUFFIX.length));
      }
    }
  };

  return {
    kind: "fs",
    put,
    get,

    head: (key) =>
      guarded(async () => {
        assertValidKey(key);
        const sidecar = await readSidecar(key);
        return sidecar ? details(sidecar) : null;
      }),

    delete: (key) =>
      guarded(async () => {
        assertValidKey(key);
        await remove(key);
      }),

    deleteMany: (keys) =>
      guarded(async () => {
        keys.forEach(assertValidKey);
        for (const key of new Set(keys)) await remove(key);
      }),

    list: (prefix, listOptions) =>
      guarded(async (): Promise<ListResult> => {
        assertValidPrefix(prefix);
        const { cursor, limit = 100 } = parseListOptions(listOptions);
        const after = cursor ? decodeCursor(cursor) : "";
        const slash = prefix.lastIndexOf("/");
        const base = slash < 0 ? "" : prefix.slice(0, slash + 1);
        const keys: string[] = [];
        await walk(base ? `${root}/${base.slice(0, -1)}` : root, base, keys);
        const matching = keys.filter((key) => key.startsWith(prefix) && key > after).sort();
        const values: ObjectInfo[] = [];
        let index = 0;
        for (; index < matching.length && values.length < limit; index++) {
          const sidecar = await readSidecar(matching[index]);
          if (!sidecar) continue;
          const { key, size, etag, lastModified } = sidecar;
          values.push({ key, size, etag, lastModified });
        }
        const more = index < matching.length && values.length > 0;
        return { values, cursor: more ? encodeCursor(values[values.length - 1].key) : "" };
      }),

    signedUrl: (key, urlOptions) =>
      guarded(() => {
        assertValidKey(key);
        const valid = parseSignedUrlOptions(urlOptions);
        return signer.sign(key, {
          method: valid.method ?? "GET",
          expiresInSeconds: valid.expiresInSeconds,
          contentType: valid.contentType,
        }, clock.now());
      }),

    verifySignedUrl: (url, now = clock.now(), method = "GET") => signer.verify(url, now, method),

    ping: () =>
      guarded(async () => {
        await Deno.mkdir(root, { recursive: true, mode: 0o700 });
        const probe = `${root}/~ping-${crypto.randomUUID()}`;
        await Deno.writeTextFile(probe, "ok", { createNew: true });
        await Deno.remove(probe);
      }),

    sweepInterrupted: (olderThanMs = INTERRUPTED_WRITE_AGE_MS) =>
      sweepInterrupted(root, Date.now() - olderThanMs), // mtimes are wall-clock time

    close: () => Promise.resolve(),
  };
}

/** The `~`-names a write leaves in a directory while it runs. */
const LEFTOVER = /~(tmp|ping)-[0-9a-f-]{36}$/;
const VERSION = /^(.+)~v-[0-9a-f-]{36}$/;

/** Removes stale leftovers of interrupted writes under `directory`, recursively. */
async function sweepInterrupted(directory: string, before: number): Promise<number> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(directory));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return 0;
    }
    throw error;
  }
  let removed = 0;
  for (const entry of entries) {
    const path = `${directory}/${entry.name}`;
    if (entry.isDirectory && !entry.name.includes("~")) {
      removed += await sweepInterrupted(path, before);
      continue;
    }
    if (!entry.isFile) continue;
    const version = VERSION.exec(entry.name);
    if (!LEFTOVER.test(entry.name) && !version) continue;
    const stat = await Deno.stat(path).catch(() => null);
    if (!stat?.mtime || stat.mtime.getTime() >= before) continue;
    if (version && await namedBySidecar(`${directory}/${version[1]}${META_SUFFIX}`, entry.name)) {
      continue;
    }
    await removeIfPresent(path);
    removed++;
  }
  return removed;
}

/** Whether the sidecar at `path` names the version file `file` (an unreadable one counts as yes). */
async function namedBySidecar(path: string, file: string): Promise<boolean> {
  try {
    const parsed = SidecarSchema.safeParse(JSON.parse(await Deno.readTextFile(path)));
    return !parsed.success || parsed.data.file === file;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

function exists(key: string): ConflictError {
  return new ConflictError("object_exists", `An object already exists at ${JSON.stringify(key)}`);
}
