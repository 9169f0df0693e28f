import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { findingToDiagnostic, inspectExample } from "./format-checks/index.js";
import type { DataItem } from "./item.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import type { TrainingMethod } from "./models.js";
import { type SetStats, StatsAccumulator } from "./stats.js";
import type { TokenCounter } from "./tokens.js";

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
}

/**
 * Runs the per-example pass over one set: numbers the examples in output order, checks and counts each,
 * accumulates statistics, and writes each example when a writer is given.
 */
export async function analyzeSet(items: AsyncIterable<DataItem>, options: SetOptions): Promise<SetStats> {
  const stats = new StatsAccumulator(options.maxTokensPerExample);
  const inspect = {
    method: options.method,
    counter: options.counter,
    maxTokensPerExample: options.maxTokensPerExample,
  };
  let example = 0;
  for await (const item of items) {
    options.signal?.throwIfAborted();
    example++;
    const inspected = inspectExample(item.value, { example, file: item.file, line: item.line }, inspect);
    for (const finding of inspected.findings) options.sink.add(findingToDiagnostic(finding));
    stats.add(item.value, inspected.tokens);
    if (options.writer) await options.writer.write(item.value);
  }
  return stats.result();
}
