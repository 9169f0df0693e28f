import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { diagnosticsToJson, renderDiagnostics, summarize, wantsColor } from "../../src/diagnostics/render.js";

const source = "version: 1\r\nname: elle\r\ndataset:\r\n  validaton: data/v.jsonl\r\n";
const sources = new Map([["p.yaml", source]]);

const unknownKey: Diagnostic = {
  severity: "error",
  code: "unknown-key",
  message: "unknown key `validaton` in `dataset`",
  span: { file: "p.yaml", line: 4, col: 3, endCol: 12 },
  hint: "did you mean `validation`?",
};

describe("renderDiagnostics", () => {
  it("prints location, code, the source line (CRLF stripped) with the span underlined, and the hint", () => {
    expect(renderDiagnostics([unknownKey], sources)).toBe(
      [
        "p.yaml:4:3 error[unknown-key] unknown key `validaton` in `dataset`",
        "  |",
        "4 |   validaton: data/v.jsonl",
        "  |   ^~~~~~~~~",
        "  = hint: did you mean `validation`?",
        "1 error",
        "",
      ].join("\n"),
    );
  });

  it("marks a point with one caret, underlines a multi-line span to the end of its first line, widens the gutter", () => {
    const text = `${"x\n".repeat(11)}key: [a,\n  b]\n`;
    const diagnostics: Diagnostic[] = [
      { severity: "warning", code: "byte-order-mark", message: "point", span: { file: "f", line: 12, col: 6 } },
      {
        severity: "error",
        code: "invalid-value",
        message: "multi",
        span: { file: "f", line: 12, col: 6, endLine: 13, endCol: 5 },
      },
    ];
    expect(renderDiagnostics(diagnostics, new Map([["f", text]]))).toBe(
      [
        "f:12:6 warning[byte-order-mark] point",
        "   |",
        "12 | key: [a,",
        "   |      ^",
        "f:12:6 error[invalid-value] multi",
        "   |",
        "12 | key: [a,",
        "   |      ^~~",
        "1 error, 1 warning",
        "",
      ].join("\n"),
    );
  });

  it("prints a diagnostic without a span, or whose file text is unknown, as one line", () => {
    const diagnostics: Diagnostic[] = [
      { severity: "error", code: "missing-file", message: "p.yaml does not exist" },
      { severity: "error", code: "invalid-type", message: "elsewhere", span: { file: "other.yaml", line: 2, col: 1 } },
    ];
    expect(renderDiagnostics(diagnostics, sources)).toBe(
      "error[missing-file] p.yaml does not exist\nother.yaml:2:1 error[invalid-type] elsewhere\n2 errors\n",
    );
  });

  it("shows a window of a very long line, with the underline still under the span", () => {
    const line = `${"a".repeat(500)}BAD${"z".repeat(500)}`;
    const d: Diagnostic = {
      severity: "error",
      code: "invalid-json",
      message: "m",
      span: { file: "d", line: 1, col: 501, endCol: 504 },
    };
    const out = renderDiagnostics([d], new Map([["d", new Map([[1, line]])]])).split("\n");
    expect(out[2]).toBe(`1 | ...${"a".repeat(60)}BAD${"z".repeat(97)}...`);
    expect(out[3]).toBe(`  | ${" ".repeat(63)}^~~`);
  });

  it("returns nothing for no diagnostics, and colours only when asked", () => {
    expect(renderDiagnostics([], sources)).toBe("");
    expect(renderDiagnostics([unknownKey], sources)).not.toContain("\u001b[");
    expect(renderDiagnostics([unknownKey], sources, { color: true })).toContain(
      "\u001b[31merror[unknown-key]\u001b[0m",
    );
    expect(wantsColor({}, true)).toBe(true);
    expect(wantsColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(wantsColor({}, false)).toBe(false);
  });

  it("summarizes counts with plurals", () => {
    const w: Diagnostic = { severity: "warning", code: "byte-order-mark", message: "m" };
    expect(summarize([unknownKey, unknownKey, w])).toBe("2 errors, 1 warning");
    expect(summarize([w, w])).toBe("2 warnings");
    expect(summarize([])).toBe("0 errors");
  });
});

describe("diagnosticsToJson", () => {
  it("flattens locations, with null for what is not known", () => {
    const w: Diagnostic = { severity: "warning", code: "byte-order-mark", message: "bom" };
    expect(diagnosticsToJson([unknownKey, w])).toEqual([
      {
        severity: "error",
        code: "unknown-key",
        message: "unknown key `validaton` in `dataset`",
        file: "p.yaml",
        line: 4,
        col: 3,
        endLine: 4,
        endCol: 12,
        hint: "did you mean `validation`?",
      },
      {
        severity: "warning",
        code: "byte-order-mark",
        message: "bom",
        file: null,
        line: null,
        col: null,
        endLine: null,
        endCol: null,
        hint: null,
      },
    ]);
  });
});
