import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import * as cl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as o200k from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { bpeCounter } from "../../src/data/tokenizer/bpe-count.js";
import { rankTable } from "../../src/data/tokenizer/rank-table.js";
import { loadTokenCounter } from "../../src/data/tokens.js";
import { capable } from "../helpers/capability.js";

/**
 * tunefile counts tokens with its own byte-pair merge over a shared rank table (src/data/tokenizer). Its counts
 * must be those of gpt-tokenizer and of tiktoken, on every string: 40,000 of them, drawn (seeded) from text where
 * tokenization is subtle (whitespace runs, newlines, contractions, marks, digits, CJK, emoji, RTL scripts, special
 * token spellings, lone surrogates) and from arbitrary Unicode.
 */
const PIECES = [
  " ",
  "  ",
  "\n",
  "\r\n",
  "\t",
  "\u00a0",
  "\u3000",
  "a",
  "Zebra",
  "ÉTÉ",
  "'s",
  "'LL",
  "n't",
  "\u0301",
  "1",
  "2024",
  "123456",
  "中文",
  "字",
  "😀",
  "👍🏽",
  "👩‍🔬",
  "🇫🇷",
  "/",
  ".",
  "!?",
  "-",
  "<|",
  "|>",
  "<|endoftext|>",
  "ß",
  "İ",
  "ǅ",
  "ʰ",
  "Ω",
  "٣",
  "مرحبا",
  "नमस्ते",
  "привет",
  "こんにちは",
  "\ud800",
  "\udc00",
  "e\u0301",
  "...",
  "https://x.io/a?b=1",
  '{"k":[1,2]}',
  "    def f(x):\n        return x",
];

function strings(count: number, seed: number): string[] {
  const mixed = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(""));
  const anyText = fc.string({ unit: "binary", maxLength: 60 });
  return fc.sample(fc.oneof(mixed, mixed, anyText), { numRuns: count, seed });
}

const SAMPLES = strings(40_000, 20261203);
const AS_TEXT = { disallowedSpecial: new Set<string>() };

describe("token counts equal gpt-tokenizer's on 40,000 strings", () => {
  it.each(["o200k_base", "cl100k_base"] as const)("%s: the merge and the cached counter", async (encoding) => {
    const reference = encoding === "o200k_base" ? o200k.countTokens : cl100k.countTokens;
    const raw = bpeCounter(encoding, rankTable(encoding));
    const cached = await loadTokenCounter(encoding);
    const differ: string[] = [];
    for (const s of SAMPLES) {
      const expected = reference(s, AS_TEXT);
      if (raw(s) !== expected || cached.count(s) !== expected) differ.push(s);
    }
    expect(differ.slice(0, 5)).toEqual([]);
  });
});

const PYTHON = process.env.TUNEFILE_TEST_PYTHON ?? "python3";
const withTiktoken = capable("a Python with tiktoken (set TUNEFILE_TEST_PYTHON)", () =>
  execFileSync(PYTHON, ["-c", "import tiktoken"], { stdio: "pipe" }),
);

describe.runIf(withTiktoken)("token counts equal tiktoken's on the same strings", () => {
  it("o200k_base", async () => {
    // tiktoken reads the encoding from its cache, filled from the .tiktoken file gpt-tokenizer ships: no download.
    const dir = mkdtempSync(path.join(tmpdir(), "tunefile-tiktoken-"));
    try {
      const url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken";
      const from = createRequire(import.meta.url).resolve("gpt-tokenizer/data/o200k_base.tiktoken");
      copyFileSync(from, path.join(dir, createHash("sha1").update(url).digest("hex")));
      const input = path.join(dir, "strings.json");
      // Lone surrogates cannot cross as UTF-8; tiktoken sees what UTF-8 encoding makes of them (U+FFFD).
      writeFileSync(input, JSON.stringify(SAMPLES.map((s) => wellFormed(s))));
      const script =
        "import json,sys,tiktoken\ne=tiktoken.get_encoding('o200k_base')\n" +
        "print(json.dumps([len(e.encode_ordinary(s)) for s in json.load(open(sys.argv[1], encoding='utf-8'))]))";
      const out = execFileSync(PYTHON, ["-c", script, input], { env: { ...process.env, TIKTOKEN_CACHE_DIR: dir } });
      const expected: number[] = JSON.parse(out.toString());
      const counter = await loadTokenCounter("o200k_base");
      const actual = SAMPLES.map((s) => counter.count(wellFormed(s)));
      expect(actual.filter((n, i) => n !== expected[i]).length).toBe(0);
      expect(actual.length).toBe(40_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The string as UTF-8 carries it: lone surrogates become U+FFFD. */
function wellFormed(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}
