/**
 * A synchronous byte scanner that finds the top-level elements of a JSON array across chunk boundaries. It only
 * tracks strings, escapes and nesting (structural characters are ASCII, so UTF-8 needs no decoding here); the
 * elements themselves are parsed by JSON.parse. Kept out of the async generator so the hot loop runs on locals.
 */
export type ScanEvent =
  | { kind: "element"; bytes: Buffer; line: number; col: number }
  | { kind: "too-long"; line: number; col: number }
  | { kind: "not-array"; line: number; col: number }
  | { kind: "trailing"; line: number; col: number };

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === LF || b === 0x0d;
}

export class JsonArrayScanner {
  phase: "start" | "array" | "after" | "done" = "start";
  line = 1;
  col = 1;
  /** Whether an element is being collected, and where it started. */
  collecting = false;
  startLine = 0;
  startCol = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private overflow = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private first = true;

  constructor(private readonly maxElementBytes: number) {}

  /** Scans one chunk, appending what it completes to `out`. */
  scan(chunk: Buffer, out: ScanEvent[]): void {
    let i = 0;
    if (this.first) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    let { line, col, depth, inString, escaped, phase, collecting } = this;
    let segment = collecting ? i : -1;
    const n = chunk.length;
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (collecting) {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
        } else if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && depth > 0) depth--;
        else if (depth === 0 && (b === COMMA || b === CLOSE_BRACKET)) {
          this.keep(chunk.subarray(segment, i));
          out.push(this.finish());
          collecting = false;
          segment = -1;
          if (b === CLOSE_BRACKET) phase = "after";
        }
      } else if (phase === "array") {
        if (b === CLOSE_BRACKET) phase = "after";
        else if (!isSpace(b) && b !== COMMA) {
          collecting = true;
          this.begin(line, col);
          segment = i;
          depth = b === OPEN_BRACE || b === OPEN_BRACKET ? 1 : 0;
          escaped = false;
          inString = b === QUOTE;
        }
      } else if (phase === "start") {
        if (b === OPEN_BRACKET) phase = "array";
        else if (!isSpace(b)) {
          out.push({ kind: "not-array", line, col });
          phase = "done";
          break;
        }
      } else if (phase === "after" && !isSpace(b)) {
        out.push({ kind: "trailing", line, col });
        phase = "done";
        break;
      }
      if (b === LF) {
        line++;
        col = 1;
      } else if ((b & 0xc0) !== 0x80) col++;
    }
    if (collecting && segment >= 0) this.keep(chunk.subarray(segment));
    Object.assign(this, { line, col, depth, inString, escaped, phase, collecting });
  }

  private begin(line: number, col: number): void {
    this.size = 0;
    this.parts = [];
    this.overflow = false;
    this.startLine = line;
    this.startCol = col;
  }

  private keep(piece: Buffer): void {
    this.size += piece.length;
    if (this.size > this.maxElementBytes) {
      this.overflow = true;
      this.parts = [];
    } else if (!this.overflow && piece.length > 0) this.parts.push(piece);
  }

  private finish(): ScanEvent {
    const at = { line: this.startLine, col: this.startCol };
    if (this.overflow) return { kind: "too-long", ...at };
    const bytes = Buffer.concat(this.parts, this.size);
    this.parts = [];
    return { kind: "element", bytes, ...at };
  }
}
