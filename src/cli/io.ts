import type { Env } from "../core/env.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderDiagnostics, type SourceTexts, wantsColor } from "../diagnostics/render.js";

/** What a command may touch of the outside world; main.ts builds it from the process, tests could build their own. */
export interface CliIo {
  cwd: string;
  env: Env;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stdout is an interactive terminal (live task list) or not (plain lines). */
  isTTY: boolean;
  /** Aborts on the first SIGINT/SIGTERM; commands stop cleanly and leave the lockfile consistent. */
  signal: AbortSignal;
}

/** Exit codes (README "Exit codes"). Only src/cli sets the process exit code. */
export const EXIT = {
  ok: 0,
  failure: 1,
  invalid: 2,
  gateNotMet: 100,
  /** 128 + SIGINT, the shell convention, when the user interrupts. */
  interrupted: 130,
} as const;

export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}

/** Diagnostics go to stderr, in colour only on a terminal that has not asked for NO_COLOR. */
export function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], sources: SourceTexts): void {
  io.stderr.write(renderDiagnostics(diagnostics, sources, { color: wantsColor(io.env, io.isTTY) }));
}
