import type { Diagnostic } from "../diagnostics/diagnostic.js";

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

  /**
   * The kept diagnostics in file order (files as first seen) and line order, plus one line saying how many more
   * there were. They arrive out of order: read problems ahead of their batch's checks, workers' batches as they end.
   */
  all(): Diagnostic[] {
    const files = new Map<string, number>();
    for (const d of this.kept) if (d.span && !files.has(d.span.file)) files.set(d.span.file, files.size);
    const rank = (d: Diagnostic) => (d.span ? files.get(d.span.file)! : files.size);
    const sorted = this.kept
      .map((d, i) => ({ d, i }))
      .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.span?.line ?? 0) - (b.d.span?.line ?? 0) || a.i - b.i)
      .map((x) => x.d);
    const more = this.suppressedErrors + this.suppressedWarnings;
    if (more === 0) return sorted;
    return [
      ...sorted,
      {
        severity: this.suppressedErrors > 0 ? "error" : "warning",
        code: "data-more-problems",
        message: `${more} more data problem(s) not shown (${this.suppressedErrors} error(s), ${this.suppressedWarnings} warning(s))`,
      },
    ];
  }
}
