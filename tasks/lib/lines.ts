/** Reading and writing text files a line at a time (NDJSON backups). */

/** The lines of a UTF-8 file, without their line breaks. */
export async function* readLines(path: string): AsyncGenerator<string> {
  const file = await Deno.open(path);
  let rest = "";
  try {
    for await (const chunk of file.readable.pipeThrough(new TextDecoderStream())) {
      rest += chunk;
      const lines = rest.split("\n");
      rest = lines.pop()!;
      for (const line of lines) yield line.replace(/\r$/, "");
    }
    if (rest) yield rest;
  } finally {
    try {
      file.close();
    } catch {
      // already closed by the finished stream
    }
  }
}

/** A line writer on a new file (refuses to overwrite); `close()` flushes it. */
export async function createLineWriter(path: string) {
  const file = await Deno.open(path, { write: true, createNew: true });
  const writer = file.writable.getWriter();
  const encoder = new TextEncoder();
  return {
    write: (line: string) => writer.write(encoder.encode(line + "\n")),
    close: () => writer.close(),
  };
}
