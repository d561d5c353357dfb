/** Request bodies for `put`: a stream that is exactly as long as announced. */
import { BadRequestError } from "@/core/errors.ts";
import type { ObjectBody } from "./types.ts";

/** A body together with its exact length. */
export interface SizedBody {
  /** Bytes in memory, or a stream that errors unless it yields exactly `length` bytes. */
  body: Uint8Array | ReadableStream<Uint8Array>;
  length: number;
}

/**
 * Pairs `body` with its length: a stream needs `contentLength` (`BadRequestError("content_length_required")`)
 * and is wrapped to fail with `BadRequestError("content_length_mismatch")` when it yields more or fewer
 * bytes, or `BadRequestError("body_stream_failed")` when reading it fails.
 */
export function sizeBody(body: ObjectBody, contentLength: number | undefined): SizedBody {
  if (body instanceof Uint8Array) {
    if (contentLength !== undefined && contentLength !== body.byteLength) {
      throw mismatch(contentLength);
    }
    return { body, length: body.byteLength };
  }
  if (!(body instanceof ReadableStream)) {
    throw new BadRequestError(
      "invalid_body",
      "Object body must be a Uint8Array or a ReadableStream",
    );
  }
  if (contentLength === undefined) {
    throw new BadRequestError(
      "content_length_required",
      "A stream body needs contentLength (the exact number of bytes)",
    );
  }
  const reader = body.getReader();
  let seen = 0;
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        controller.error(
          new BadRequestError("body_stream_failed", `Reading the body failed: ${String(error)}`),
        );
        return;
      }
      if (next.done) {
        if (seen === contentLength) controller.close();
        else controller.error(mismatch(contentLength));
        return;
      }
      seen += next.value.byteLength;
      if (seen > contentLength) {
        controller.error(mismatch(contentLength));
        await reader.cancel().catch(() => {});
        return;
      }
      controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { body: counted, length: contentLength };
}

function mismatch(contentLength: number): BadRequestError {
  return new BadRequestError(
    "content_length_mismatch",
    `The body does not have the announced ${contentLength} bytes`,
  );
}

/** Cancels a stream body that will not be read (a put failing before its upload); a no-op otherwise. */
export async function discardBody(sized: SizedBody): Promise<void> {
  if (sized.body instanceof ReadableStream && !sized.body.locked) {
    await sized.body.cancel().catch(() => {});
  }
}
