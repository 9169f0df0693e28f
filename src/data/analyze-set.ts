import type { Diagnostic } from "../diagnostics/diagnostic.js";
import {
  checkExample,
  type ExampleLocation,
  type ExampleProblem,
  findingToDiagnostic,
  locateFindings,
} from "./format-checks/index.js";
import type { DataItem } from "./item.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import type { TrainingMethod } from "../core/catalog/models.js";
import { type SetStats, StatsAccumulator } from "./stats.js";
import type { TokenPool } from "./token-pool.js";
import { countExampleTokens, type ExampleTokens, type TokenCounter } from "./tokens.js";

/** Collects located problems, keeping the first `limit` and counting the rest, so a broken 1 GB file stays cheap. */
export class DiagnosticSink {
  readonly kept: Diagnostic[] = [];
  private suppressedErrors = 0;
  private suppressedWarnings = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  add(diagnostic: Diagnostic): void {
    const key = `${diagnostic.code}\0${diagnostic.span?.file}\0${diagnostic.span?.line}\0${diagnostic.message}`;
    if (this.seen.has(key)) return;
    if (this.kept.length >= this.limit) {
      if (diagnostic.severity === "error") this.suppressedErrors++;
      else this.suppressedWarnings++;
      return;
    }
    this.seen.add(key);
    this.kept.push(diagnostic);
  }

  get errors(): number {
    return this.kept.filter((d) => d.severity === "error").length + this.suppressedErrors;
  }

  /** The kept diagnostics, plus one line saying how many more there were. */
  all(): Diagnostic[] {
    const more = this.suppressedErrors + this.suppressedWarnings;
    if (more === 0) return this.kept;
    return [
      ...this.kept,
      {
        severity: this.suppressedErrors > 0 ? "error" : "warning",
        code: "data-more-problems",
        message: `${more} more data problem(s) not shown (${this.suppressedErrors} error(s), ${this.suppressedWarnings} warning(s))`,
      },
    ];
  }
}

export interface SetOptions {
  method: TrainingMethod;
  counter: TokenCounter;
  maxTokensPerExample: number;
  sink: DiagnosticSink;
  /** Where to write the examples (prepare); absent for validate. */
  writer?: JsonlWriter;
  signal?: AbortSignal | undefined;
  /** Worker threads for token counting; absent: count on this thread. */
  pool?: TokenPool | undefined;
}

/** Examples per batch sent to a worker: large enough to amortize the message, small enough to keep memory low. */
const BATCH_SIZE = 256;

/**
 * Runs the per-example pass over one set: numbers the examples in output order, checks and counts each,
 * accumulates statistics, and writes each example when a writer is given.
 */
export async function analyzeSet(items: AsyncIterable<DataItem>, options: SetOptions): Promise<SetStats> {
  const stats = new StatsAccumulator(options.maxTokensPerExample);
  const finish = async (
    item: DataItem,
    location: ExampleLocation,
    problems: readonly ExampleProblem[],
    tokens: ExampleTokens,
  ) => {
    for (const finding of locateFindings(problems, location, tokens, options.maxTokensPerExample)) {
      options.sink.add(findingToDiagnostic(finding));
    }
    stats.add(item.value, tokens);
    if (options.writer) await options.writer.write(item.value);
  };
  if (options.pool) {
    await analyzeInBatches(items, options, options.pool, finish);
    return stats.result();
  }
  let example = 0;
  for await (const item of items) {
    options.signal?.throwIfAborted();
    example++;
    const tokens = countExampleTokens(item.value, options.method, options.counter);
    await finish(item, { example, file: item.file, line: item.line }, checkExample(item.value, options.method), tokens);
  }
  return stats.result();
}

type Finish = (
  item: DataItem,
  location: ExampleLocation,
  problems: readonly ExampleProblem[],
  tokens: ExampleTokens,
) => Promise<void>;

interface Batch {
  items: DataItem[];
  problems: (readonly ExampleProblem[])[];
  first: number;
  tokens?: Promise<ExampleTokens[]>;
}

/**
 * The same pass with token counting in worker threads: the checks run here while the workers count earlier
 * batches; results are applied strictly in order, with a bounded number of batches in flight.
 */
async function analyzeInBatches(
  items: AsyncIterable<DataItem>,
  options: SetOptions,
  pool: TokenPool,
  finish: Finish,
): Promise<void> {
  const inFlight: Batch[] = [];
  const maxInFlight = 4;
  let batch: Batch = { items: [], problems: [], first: 1 };
  let example = 0;
  const settle = async (done: Batch) => {
    const tokens = await done.tokens!;
    for (let i = 0; i < done.items.length; i++) {
      const item = done.items[i]!;
      await finish(item, { example: done.first + i, file: item.file, line: item.line }, done.problems[i]!, tokens[i]!);
    }
  };
  const send = async () => {
    if (batch.items.length === 0) return;
    const tokens = pool.count(batch.items.map((i) => i.value));
    // Awaited in order by settle; until then a failure must not count as unhandled.
    tokens.catch(() => undefined);
    batch.tokens = tokens;
    inFlight.push(batch);
    batch = { items: [], problems: [], first: example + 1 };
    while (inFlight.length > maxInFlight) await settle(inFlight.shift()!);
  };
  for await (const item of items) {
    options.signal?.throwIfAborted();
    example++;
    batch.items.push(item);
    batch.problems.push(checkExample(item.value, options.method));
    if (batch.items.length >= BATCH_SIZE) await send();
  }
  await send();
  while (inFlight.length > 0) await settle(inFlight.shift()!);
}
