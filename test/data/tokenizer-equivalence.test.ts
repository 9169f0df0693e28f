import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTokenCounter } from "../../src/data/tokens.js";
import { capable } from "../helpers/capability.js";
import { SAMPLE_COUNT, SAMPLE_SEED, tokenSamples } from "./token-samples.js";

/**
 * tiktoken's own counts, by the official Python package, on the 40,000 strings tokens.test.ts compares with
 * gpt-tokenizer. Python with tiktoken is not a dependency: TUNEFILE_TEST_PYTHON names an interpreter that has it
 * (default: python3); without one this test is skipped, with the reason printed.
 */
const SAMPLES = tokenSamples(SAMPLE_COUNT, SAMPLE_SEED);

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
