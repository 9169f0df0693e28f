import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { readSource } from "../../src/data/sources/read-source.js";
import { LOADING_CODES } from "../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { collectSourceLines } from "../../src/diagnostics/source-lines.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * One fixture per diagnostic code: test/fixtures/pipelines/<code>/pipeline.yaml (optionally overrides.txt, one
 * `-S` argument per line) and test/fixtures/pipelines/_sources/<code>/data.* for the source readers. The whole
 * rendered text is compared with expected.txt beside it. `UPDATE_GOLDEN=1 npx vitest run test/config` rewrites the
 * expected files; review the diff before committing.
 */
const FIXTURES = path.join(REPO_ROOT, "test/fixtures/pipelines");
const SOURCES = path.join(FIXTURES, "_sources");
const update = process.env.UPDATE_GOLDEN === "1";

function fixtureDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("_"))
    .map((d) => d.name)
    .sort();
}

async function compareGolden(dir: string, actual: string): Promise<void> {
  const file = path.join(dir, "expected.txt");
  if (update) await writeFile(file, actual);
  // A missing golden fails (it is never written silently), so a new fixture needs a reviewed expected.txt.
  expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(actual).toBe(await readFile(file, "utf8"));
}

describe("golden diagnostics: pipelines", () => {
  for (const code of fixtureDirs(FIXTURES)) {
    it(code, async () => {
      const dir = path.join(FIXTURES, code);
      const overridesFile = path.join(dir, "overrides.txt");
      const overrides = existsSync(overridesFile)
        ? (await readFile(overridesFile, "utf8")).split("\n").filter((l) => l !== "")
        : [];
      const result = await loadPipeline(path.join(dir, "pipeline.yaml"), { cwd: REPO_ROOT, env: {}, overrides });
      const diagnostics = result.ok ? result.warnings : result.diagnostics;
      expect(diagnostics.map((d) => d.code)).toContain(code);
      await compareGolden(dir, renderDiagnostics(diagnostics, result.sources));
    });
  }
});

describe("golden diagnostics: source readers", () => {
  for (const code of fixtureDirs(SOURCES)) {
    it(code, async () => {
      const dir = path.join(SOURCES, code);
      const data = readdirSync(dir).find((f) => f.startsWith("data."))!;
      const display = `test/fixtures/pipelines/_sources/${code}/${data}`;
      const diagnostics: Diagnostic[] = [];
      for await (const row of readSource(data, dir, REPO_ROOT, { maxLineBytes: 100 })) {
        if (row.kind === "error") diagnostics.push(row.diagnostic);
      }
      expect(diagnostics.map((d) => d.code)).toContain(code);
      // Data files can be huge: the excerpts come from reading just the lines needed.
      const sources = await collectSourceLines(diagnostics, (f) => (f === display ? path.join(dir, data) : undefined));
      await compareGolden(dir, renderDiagnostics(diagnostics, sources));
    });
  }
});

describe("golden diagnostics: generated inputs", () => {
  it("file-too-large", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "big.yaml"), `# ${"x".repeat(1024 * 1024)}\n`);
    const result = await loadPipeline("big.yaml", { cwd: dir, env: {} });
    expect(result.ok).toBe(false);
    expect(renderDiagnostics(result.ok ? [] : result.diagnostics, result.sources)).toBe(
      [
        "error[file-too-large] big.yaml is 1048579 bytes; a pipeline file is at most 1048576 bytes",
        "  = hint: is this a data file? Name data files under `dataset:` in the pipeline",
        "1 error",
        "",
      ].join("\n"),
    );
  });

  it("missing-file for the pipeline itself", async () => {
    const dir = await tempDir();
    const result = await loadPipeline("pipelines/nope.yaml", { cwd: dir, env: {} });
    expect(renderDiagnostics(result.ok ? [] : result.diagnostics, result.sources)).toBe(
      "error[missing-file] pipelines/nope.yaml does not exist\n1 error\n",
    );
  });
});

describe("every loading diagnostic code has a golden test", () => {
  it("covers LOADING_CODES", () => {
    const covered = new Set([...fixtureDirs(FIXTURES), ...fixtureDirs(SOURCES), "file-too-large"]);
    expect(Object.keys(LOADING_CODES).filter((c) => !covered.has(c))).toEqual([]);
  });
});
