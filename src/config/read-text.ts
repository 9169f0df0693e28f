import type { DiagnosticCode } from "../diagnostics/codes.js";
import { open } from "node:fs/promises";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** Pipeline files are small; anything larger is almost certainly the wrong file (a dataset, a binary). */
export const MAX_PIPELINE_BYTES = 1024 * 1024;

export type TextRead =
  | { ok: true; text: string; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; text?: string };

/**
 * Reads a text file the user wrote, turning every way it can be unreadable into a diagnostic: missing, a directory,
 * too large, binary, not UTF-8, empty. A UTF-8 byte order mark is dropped with a warning (some editors on Windows
 * add one). CRLF line ends are kept; the YAML parser and the renderer both accept them.
 */
export async function readUserText(file: string, display: string, maxBytes = MAX_PIPELINE_BYTES): Promise<TextRead> {
  const fail = (code: DiagnosticCode, message: string, hint?: string): TextRead => ({
    ok: false,
    diagnostics: [{ severity: "error", code, message, ...(hint ? { hint } : {}) }],
  });
  let bytes: Buffer;
  try {
    const handle = await open(file, "r");
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) return fail("unreadable-file", `${display} is a directory, not a pipeline file`);
      // A device or pipe (/dev/zero, a FIFO) has no size to check and may never end.
      if (!stat.isFile()) return fail("unreadable-file", `${display} is not a regular file`);
      if (stat.size > maxBytes) {
        return fail(
          "file-too-large",
          `${display} is ${stat.size} bytes; a pipeline file is at most ${maxBytes} bytes`,
          "is this a data file? Name data files under `dataset:` in the pipeline",
        );
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail("missing-file", `${display} does not exist`);
    if (code === "EISDIR") return fail("unreadable-file", `${display} is a directory, not a pipeline file`);
    return fail("unreadable-file", `cannot read ${display}: ${code ?? (err as Error).message}`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fail("binary-file", `${display} looks binary (a NUL byte at offset ${nul}); a pipeline is a YAML text file`);
  }
  const warnings: Diagnostic[] = [];
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
    warnings.push({
      severity: "warning",
      code: "byte-order-mark",
      message: "the file starts with a UTF-8 byte order mark; it was ignored",
      span: { file: display, line: 1, col: 1 },
      hint: "save the file as UTF-8 without BOM",
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start));
  } catch {
    const { line, col } = firstInvalidUtf8(bytes.subarray(start));
    return {
      ok: false,
      // The lossy decoding lets the renderer show the line with the bad byte.
      text: new TextDecoder("utf-8").decode(bytes.subarray(start)),
      diagnostics: [
        {
          severity: "error",
          code: "invalid-encoding",
          message: `${display} is not valid UTF-8`,
          span: { file: display, line, col },
          hint: "save the file as UTF-8",
        },
      ],
    };
  }
  if (text.trim() === "") return fail("empty-file", `${display} is empty`, "`tunefile init` writes a starter pipeline");
  return { ok: true, text, warnings };
}

/** Byte offset of the first byte sequence that is not valid UTF-8 (a hand-rolled check: TextDecoder won't say). */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Line and column (in characters of the valid prefix) of the first byte that is not valid UTF-8. */
function firstInvalidUtf8(bytes: Buffer): { line: number; col: number } {
  const prefix = new TextDecoder("utf-8").decode(bytes.subarray(0, invalidUtf8Offset(bytes)));
  const lines = prefix.split("\n");
  return { line: lines.length, col: (lines[lines.length - 1] ?? "").length + 1 };
}
