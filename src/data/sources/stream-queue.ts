import type { Readable } from "node:stream";

/** An item of a stream, then how it ended. */
export type Streamed<T> = { kind: "item"; item: T } | { kind: "error"; error: unknown };

/**
 * Iterates an object stream keeping every item emitted before an error. (`for await` over a stream drops the
 * items still buffered when the stream errors, so a CSV error would hide the good rows read just before it.)
 * Backpressure: the stream is paused while `highWater` items wait.
 */
export async function* drainInOrder<T>(stream: Readable, highWater = 256): AsyncGenerator<Streamed<T>> {
  const queue: Streamed<T>[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  stream.on("data", (item: T) => {
    queue.push({ kind: "item", item });
    if (queue.length >= highWater) stream.pause();
    notify();
  });
  stream.on("error", (error) => {
    queue.push({ kind: "error", error });
    ended = true;
    notify();
  });
  stream.on("end", () => {
    ended = true;
    notify();
  });
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        if (next.kind === "error") return;
        if (queue.length < highWater / 2 && stream.isPaused() && !ended) stream.resume();
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stream.destroy();
  }
}
