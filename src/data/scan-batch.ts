import { isUtf8 } from "node:buffer";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isCompactJson } from "./compact-json.js";
import { checkExample, locateFindings } from "./format-checks/check-example.js";
import type { ExampleFinding } from "./format-checks/findings.js";
import { findingToDiagnostic } from "./format-checks/to-diagnostic.js";
import type { Encoding, TrainingMethod } from "../core/catalog/models.js";
import { findJsonError } from "./sources/json-error.js";
import { byteOrderMark, invalidUtf8Line, lineTooLong } from "./sources/jsonl.js";
import { countNewlines } from "./sources/line-batches.js";
import { shapeOf } from "./stats.js";
import { countExampleTokens, type TokenCounter } from "./tokens.js";

/** What a scan needs besides the bytes: the same for every batch of a set. */
export interface ScanSettings {
  method: TrainingMethod;
  encoding: Encoding;
  maxTokensPerExample: number;
  maxLineBytes: number;
  /** Also return each example as a compact JSON line, as UTF-8 (the prepare stage writes them). */
  wantLines: boolean;
}

/**
 * A batch of whole JSONL lines, as bytes: either lines of one file as read (`file`, from `firstLine`), or
 * examples the reading thread already read and transformed, one compact JSON line each, with where each came
 * from (`origins`). Both are scanned by the same code.
 */
export interface ScanRequest {
  bytes: Uint8Array;
  settings: ScanSettings;
  /** The file as displayed in messages. */
  file: string;
  firstLine: number;
  /** Per line, its source file and line (examples that went through transforms); absent: `file` from `firstLine`. */
  origins?: readonly { file: string; line: number }[] | undefined;
}

/** A problem found by a scan; the local provider reports the finding in the service's words. */
export interface ScanProblem {
  diagnostic: Diagnostic;
  finding?: ExampleFinding;
}

/** Numbers kept per example in {@link ScanResult.stats}. */
export const STATS_STRIDE = 6;

/**
 * The analysis of one batch: per example (in order) `[messages, tokens, assistant tokens, approximate, has
 * system, has user]` (booleans as 0/1), the problems in line order (read problems and located findings), and,
 * when asked, the examples as compact JSON lines.
 */
export interface ScanResult {
  examples: number;
  stats: Float64Array;
  /** Problems in line order: each as a diagnostic, and as a finding when it concerns one example (a line). */
  problems: ScanProblem[];
  /** Lines that were not blank: the examples, good or not (a finding's `example` counts these, from 1). */
  nonBlank: number;
  lines?: Uint8Array;
  /** The request's ArrayBuffer, handed back so the reading thread can reuse it. */
  buffer: ArrayBuffer;
}

const BOM = "\uFEFF";
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Decodes, parses, checks and counts a batch of lines exactly as the line-by-line path does (readJsonl, then
 * checkExample, countExampleTokens and locateFindings), with the same diagnostics. The whole batch is decoded at
 * once: a newline byte never sits inside a UTF-8 sequence, so this equals decoding line by line.
 */
export function scanBatch(request: ScanRequest, counter: TokenCounter): ScanResult {
  const { settings, origins } = request;
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  const text = decoder.decode(bytes);
  // One native check for the batch; only a batch with bad bytes pays for a check per line.
  const allUtf8 = isUtf8(bytes);
  // One slot per line: its newlines, plus a last line without one.
  const lineCount = countNewlines(bytes) + (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? 1 : 0);
  const stats = new Float64Array(lineCount * STATS_STRIDE);
  const problems: ScanProblem[] = [];
  const out = new LineOutput();
  let examples = 0;
  let nonBlank = 0;
  let index = 0;
  let charStart = 0;
  let byteStart = 0;
  while (charStart < text.length) {
    let charEnd = text.indexOf("\n", charStart);
    if (charEnd === -1) charEnd = text.length;
    let byteEnd = bytes.indexOf(0x0a, byteStart);
    if (byteEnd === -1) byteEnd = bytes.length;
    const file = origins ? origins[index]!.file : request.file;
    const line = origins ? origins[index]!.line : request.firstLine + index;
    const invalid = (example: number, detail: string): ExampleFinding => ({
      example,
      file,
      line,
      code: "data-invalid-json",
      detail,
    });
    // The limit counts a line's bytes without its newline, as the line splitter does.
    if (byteEnd - byteStart > settings.maxLineBytes) {
      const detail = `the line is longer than ${settings.maxLineBytes} bytes`;
      problems.push({
        diagnostic: lineTooLong(file, line, settings.maxLineBytes),
        finding: invalid(++nonBlank, detail),
      });
    } else if (!allUtf8 && !isUtf8(bytes.subarray(byteStart, byteEnd))) {
      const detail = "the line is not valid UTF-8";
      problems.push({ diagnostic: invalidUtf8Line(file, line), finding: invalid(++nonBlank, detail) });
    } else {
      const cr = text.charCodeAt(charEnd - 1) === 13;
      let lineText = text.slice(charStart, cr ? charEnd - 1 : charEnd);
      let colShift = 0;
      if (line === 1 && !origins && lineText.startsWith(BOM)) {
        lineText = lineText.slice(1);
        colShift = 1;
        problems.push({ diagnostic: byteOrderMark(file) });
      }
      if (lineText.trim() !== "") {
        nonBlank++;
        let value: unknown;
        let parsed = true;
        try {
          value = JSON.parse(lineText);
        } catch {
          parsed = false;
          const at = findJsonError(lineText);
          problems.push({
            diagnostic: {
              severity: "error",
              code: "invalid-json",
              message: `line ${line} is not valid JSON: ${at.message}`,
              span: { file, line, col: at.offset + 1 + colShift },
            },
            finding: invalid(nonBlank, at.message),
          });
        }
        if (parsed) {
          const tokens = countExampleTokens(value, settings.method, counter);
          const location = { example: nonBlank, file, line };
          const found = checkExample(value, settings.method);
          for (const finding of locateFindings(found, location, tokens, settings.maxTokensPerExample)) {
            problems.push({ diagnostic: findingToDiagnostic(finding), finding });
          }
          const shape = shapeOf(value);
          const at = examples * STATS_STRIDE;
          stats[at] = shape.messages;
          stats[at + 1] = tokens.total;
          stats[at + 2] = tokens.assistant;
          stats[at + 3] = tokens.approximate ? 1 : 0;
          stats[at + 4] = shape.system ? 1 : 0;
          stats[at + 5] = shape.user ? 1 : 0;
          examples++;
          if (settings.wantLines) {
            // Most lines are already compact JSON: their bytes are copied as read, the rest re-encoded.
            const lineEnd = cr ? byteEnd - 1 : byteEnd;
            // Where this line's input ends, its newline included (a last line may have none).
            const inputEnd = Math.min(byteEnd + 1, bytes.length);
            if (isCompactJson(lineText)) out.add(bytes.subarray(byteStart + colShift * 3, lineEnd), inputEnd);
            else out.add(encoder.encode(JSON.stringify(value)), inputEnd);
          }
        }
      }
    }
    charStart = charEnd + 1;
    byteStart = byteEnd + 1;
    index++;
  }
  return {
    examples,
    stats: examples * STATS_STRIDE === stats.length ? stats : stats.slice(0, examples * STATS_STRIDE),
    problems,
    nonBlank,
    ...(settings.wantLines ? { lines: out.bytes(bytes) } : {}),
    buffer: request.bytes.buffer as ArrayBuffer,
  };
}

const encoder = new TextEncoder();

/**
 * Lines to write, as views of the batch's bytes or freshly encoded, joined with newlines. They are joined in place,
 * into the batch's own buffer, when no line comes out longer than the input it replaced (always, for lines that were
 * already compact): the buffer goes back to the reading thread anyway, so no new one is allocated here and freed
 * there, which fragmented the C heap (tens of MB of RSS over 50 MB written).
 */
class LineOutput {
  private readonly pieces: Uint8Array[] = [];
  private length = 0;
  private inPlace = true;

  /** Adds a line whose input ended (newline included) at byte `inputEnd` of the batch. */
  add(line: Uint8Array, inputEnd: number): void {
    this.pieces.push(line);
    this.length += line.length + 1;
    if (this.length > inputEnd) this.inPlace = false;
  }

  bytes(batch: Uint8Array): Uint8Array {
    const all = this.inPlace ? batch.subarray(0, this.length) : new Uint8Array(this.length);
    let at = 0;
    for (const piece of this.pieces) {
      // In place, a view's bytes sit at or after `at`: copyWithin-like overlap, which set() handles.
      all.set(piece, at);
      at += piece.length;
      all[at++] = 0x0a;
    }
    return all;
  }
}
