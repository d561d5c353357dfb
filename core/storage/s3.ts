/**
 * S3 object store on `@aws-sdk/client-s3`, for Cloudflare R2 in production (region `auto`) and any
 * S3-protocol server (s3rver in tests, with `forcePathStyle`).
 *
 * Failing fast: every operation has one deadline (`timeoutMs`, default 3 s, from the call until the
 * response starts, covering connecting and retries; puts get 1 s more per MiB of body) and at most
 * `maxAttempts` (2) tries, so a dead or hung server surfaces as
 * `ServiceUnavailableError("storage_unavailable")` instead of a hang. A body that stalls mid-way is
 * cut after 30 s of silence.
 *
 * Create-only puts (`ifNoneMatch: "*"`) send `If-None-Match: *`, which S3 and R2 enforce atomically.
 * Servers that ignore the header (s3rver 3.7.1 does) are covered by a HEAD first, which is not atomic.
 */
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type Clock, systemClock } from "@/core/clock.ts";
import { BadRequestError, ConflictError, DomainError } from "@/core/errors.ts";
import { discardBody, sizeBody } from "./body.ts";
import { parseS3Settings, type S3StoreSettings } from "./config.ts";
import { assertValidRange, resolveRange, sliceStream } from "./range.ts";
import { classifyS3Error, s3Unavailable } from "./s3_errors.ts";
import {
  type GetResult,
  type ObjectDetails,
  type ObjectInfo,
  type ObjectStore,
  RangeNotSatisfiableError,
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

/** The S3 store. */
export interface S3ObjectStore extends ObjectStore {
  readonly kind: "s3";
}

const SOCKET_IDLE_TIMEOUT_MS = 30_000;
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const DELETE_BATCH = 1_000;

const unquote = (etag: string | undefined) => (etag ?? "").replace(/^(W\/)?"|"$/g, "");

/** Runs `run` with an abort signal that fires after `ms`; the timer stops once `run` settles. */
async function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses `Content-Range: bytes a-b/total`. */
function parseContentRange(
  header: string | undefined,
): { start: number; end: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header ?? "");
  return match
    ? { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) }
    : undefined;
}

/** Creates an S3/R2 object store; nothing is contacted until the first call. */
export function createS3ObjectStore(
  settings: S3StoreSettings,
  options: { clock?: Clock } = {},
): S3ObjectStore {
  const config = parseS3Settings(settings);
  const clock = options.clock ?? systemClock;
  const bucket = config.bucket;
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    maxAttempts: config.maxAttempts,
    // R2 and s3rver do not understand the SDK's default streaming (aws-chunked) checksums.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // Connecting and waiting for a response are bounded by each call's deadline (the handler's own
    // connection timer outlives aborted requests); a body that stalls mid-way by the idle timeout.
    requestHandler: { socketTimeout: SOCKET_IDLE_TIMEOUT_MS },
    // Failures surface as typed errors; the SDK would otherwise print warnings to the console.
    logger: quietLogger,
  });

  /** Sends one command under the deadline; any failure becomes `storage_unavailable`. */
  const call = async <T>(
    operation: string,
    deadlineMs: number,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    try {
      return await withDeadline(deadlineMs, send);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw Object.assign(s3Unavailable(operation, error), { cause: error });
    }
  };

  const headObject = async (key: string): Promise<ObjectDetails | null> => {
    try {
      const head = await withDeadline(
        config.timeoutMs,
        (abortSignal) =>
          client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
      );
      return {
        key,
        size: head.ContentLength ?? 0,
        etag: unquote(head.ETag),
        lastModified: head.LastModified?.getTime() ?? 0,
        contentType: head.ContentType ?? "application/octet-stream",
        metadata: { ...head.Metadata },
      };
    } catch (error) {
      if (classifyS3Error(error) === "not_found") return null;
      throw Object.assign(s3Unavailable("head", error), { cause: error });
    }
  };

  const conflict = (key: string) =>
    new ConflictError("object_exists", `An object already exists at ${JSON.stringify(key)}`);

  return {
    kind: "s3",

    async put(key, body, putOptions) {
      assertValidKey(key);
      const valid = parsePutOptions(putOptions);
      const sized = sizeBody(body, valid.contentLength);
      try {
        if (valid.ifNoneMatch && (await headObject(key))) throw conflict(key);
      } catch (error) {
        await discardBody(sized);
        throw error;
      }

      let bodyError: unknown;
      const controller = new AbortController();
      let payload: Uint8Array | Readable;
      if (sized.body instanceof Uint8Array) {
        payload = sized.body;
      } else {
        payload = Readable.fromWeb(sized.body as NodeWebReadableStream<Uint8Array>);
        payload.once("error", (error) => {
          bodyError = error;
          controller.abort();
        });
      }
      const deadline = config.timeoutMs + Math.round((sized.length / (1024 * 1024)) * 1000);
      try {
        const result = await withDeadline(deadline, (deadlineSignal) =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: payload,
              ContentLength: sized.length,
              ContentType: valid.contentType,
              Metadata: valid.metadata,
              ...(valid.ifNoneMatch ? { IfNoneMatch: "*" } : {}),
            }),
            { abortSignal: AbortSignal.any([deadlineSignal, controller.signal]) },
          ));
        return { key, size: sized.length, etag: unquote(result.ETag), lastModified: clock.now() };
      } catch (error) {
        if (bodyError instanceof DomainError) throw bodyError;
        if (bodyError) {
          throw new BadRequestError("body_stream_failed", `Reading the body failed: ${bodyError}`);
        }
        if (classifyS3Error(error) === "precondition_failed") throw conflict(key);
        throw Object.assign(s3Unavailable("put", error), { cause: error });
      } finally {
        if (payload instanceof Readable) payload.destroy();
      }
    },

    async get(key, getOptions = {}): Promise<GetResult | null> {
      assertValidKey(key);
      const range = getOptions.range;
      if (range) assertValidRange(range);
      let response;
      try {
        response = await withDeadline(config.timeoutMs, (abortSignal) =>
          client.send(
            new GetObjectCommand({
              Bucket: bucket,
              Key: key,
              ...(range ? { Range: `bytes=${range.start}-${range.end ?? ""}` } : {}),
            }),
            { abortSignal },
          ));
      } catch (error) {
        const kind = classifyS3Error(error);
        if (kind === "not_found") return null;
        if (kind === "invalid_range" && range) {
          const size = (await headObject(key))?.size;
          if (size === undefined) return null;
          throw new RangeNotSatisfiableError(
            `Range starts at byte ${range.start} but the object has ${size} bytes`,
            size,
          );
        }
        throw Object.assign(s3Unavailable("get", error), { cause: error });
      }
      if (!response.Body) throw s3Unavailable("get", new Error("response has no body"));
      const served = parseContentRange(response.ContentRange);
      const size = served?.total ?? response.ContentLength ?? 0;
      let body = response.Body.transformToWebStream() as ReadableStream<Uint8Array>;
      const details = {
        key,
        size,
        etag: unquote(response.ETag),
        lastModified: response.LastModified?.getTime() ?? 0,
        contentType: response.ContentType ?? "application/octet-stream",
        metadata: { ...response.Metadata },
      };
      if (!range) return { ...details, body };
      // A server may ignore the range or send more than asked (s3rver treats `bytes=0-0` as all):
      // cut the asked bytes out of whatever came.
      let wanted;
      try {
        wanted = resolveRange(range, size);
      } catch (error) {
        await body.cancel();
        throw error;
      }
      const from = served?.start ?? 0;
      const to = served?.end ?? size - 1;
      if (wanted.start < from || wanted.end > to) {
        await body.cancel();
        throw s3Unavailable("get", new Error(`asked for ${range.start}-, got ${from}-${to}`));
      }
      if (wanted.start !== from || wanted.end !== to) {
        body = sliceStream(body, wanted.start - from, wanted.end - wanted.start + 1);
      }
      return { ...details, body, range: wanted };
    },

    async head(key) {
      assertValidKey(key);
      return await headObject(key);
    },

    async delete(key) {
      assertValidKey(key);
      await call(
        "delete",
        config.timeoutMs,
        (abortSignal) =>
          client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
      );
    },

    async deleteMany(keys) {
      keys.forEach(assertValidKey);
      const unique = [...new Set(keys)];
      for (let offset = 0; offset < unique.length; offset += DELETE_BATCH) {
        const batch = unique.slice(offset, offset + DELETE_BATCH);
        const result = await call("deleteMany", config.timeoutMs, (abortSignal) =>
          client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
            { abortSignal },
          ));
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          const first = failed[0];
          throw s3Unavailable(
            "deleteMany",
            new Error(`${failed.length} keys not deleted, e.g. ${first.Key}: ${first.Code}`),
          );
        }
      }
    },

    async list(prefix, listOptions) {
      assertValidPrefix(prefix);
      const { cursor, limit = 100 } = parseListOptions(listOptions);
      const after = cursor ? decodeCursor(cursor) : undefined;
      const page = await call("list", config.timeoutMs, (abortSignal) =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix || undefined,
            MaxKeys: limit,
            ...(after ? { StartAfter: after } : {}),
          }),
          { abortSignal },
        ));
      const values: ObjectInfo[] = (page.Contents ?? []).map((entry) => ({
        key: entry.Key ?? "",
        size: entry.Size ?? 0,
        etag: unquote(entry.ETag),
        lastModified: entry.LastModified?.getTime() ?? 0,
      }));
      const last = values.at(-1);
      return { values, cursor: page.IsTruncated && last ? encodeCursor(last.key) : "" };
    },

    async signedUrl(key, urlOptions) {
      assertValidKey(key);
      const valid = parseSignedUrlOptions(urlOptions);
      const command = valid.method === "PUT"
        ? new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: valid.contentType })
        : new GetObjectCommand({ Bucket: bucket, Key: key });
      try {
        return await getSignedUrl(client, command, {
          expiresIn: valid.expiresInSeconds,
          signingDate: new Date(clock.now()),
        });
      } catch (error) {
        throw Object.assign(s3Unavailable("signedUrl", error), { cause: error });
      }
    },

    async ping() {
      await call(
        "ping",
        config.timeoutMs,
        (abortSignal) => client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
      );
    },

    close() {
      client.destroy();
      return Promise.resolve();
    },
  };
}
