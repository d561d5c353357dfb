/** File primitives of the filesystem object store: synced writes, ranged reads, tolerant removal. */
import { createHash } from "node:crypto";
import { ServiceUnavailableError } from "@/core/errors.ts";

const CHUNK_BYTES = 64 * 1024;

/** A `ServiceUnavailableError("storage_unavailable")` for a failed filesystem operation. */
export function fsUnavailable(error: unknown): ServiceUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  return new ServiceUnavailableError(
    "storage_unavailable",
    `Filesystem storage failed: ${message}`,
  );
}

/** Removes `path`; an absent file is fine. */
export async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Writes `body` to a new file at `path`, synced, returning its size and MD5. */
export async function writeVersion(
  path: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
): Promise<{ size: number; md5: string }> {
  const hash = createHash("md5");
  let size = 0;
  const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
  try {
    const chunks = body instanceof Uint8Array ? [body] : body;
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.byteLength;
      for (let written = 0; written < chunk.byteLength;) {
        written += await file.write(chunk.subarray(written));
      }
    }
    await file.syncData();
  } finally {
    file.close();
  }
  return { size, md5: hash.digest("hex") };
}

/** A stream of `length` bytes of the open `file` from `start`; closes the file when done or cancelled. */
export function fileRangeStream(
  file: Deno.FsFile,
  start: number,
  length: number,
): ReadableStream<Uint8Array> {
  let remaining = length;
  let open = true;
  const closeFile = () => {
    if (open) {
      open = false;
      file.close();
    }
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (start > 0 && remaining > 0) await file.seek(start, Deno.SeekMode.Start);
      } catch (error) {
        closeFile();
        controller.error(fsUnavailable(error));
      }
    },
    async pull(controller) {
      try {
        if (remaining === 0) {
          closeFile();
          controller.close();
          return;
        }
        const buffer = new Uint8Array(Math.min(CHUNK_BYTES, remaining));
        const read = await file.read(buffer);
        if (read === null) throw new Error("object file is shorter than its sidecar says");
        remaining -= read;
        controller.enqueue(buffer.subarray(0, read));
        if (remaining === 0) {
          closeFile();
          controller.close();
        }
      } catch (error) {
        closeFile();
        controller.error(fsUnavailable(error));
      }
    },
    cancel() {
      closeFile();
    },
  });
}
