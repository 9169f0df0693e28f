import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { analyzeDataset } from "../../src/data/analyze.js";
import { validateTrainingFile } from "../../src/data/validate-file.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { applyAll, mutationsArb } from "./support/mutations.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Property-based fuzzing of the loaders (issue 6): valid inputs mutated by byte flips, truncation, inserted and
 * deleted bytes, key renames and type swaps. The pipeline loader and the data checks must return diagnostics
 * (never throw) and must finish (never hang). TUNEFILE_FUZZ_RUNS sets the iterations per property (default 200).
 */
const RUNS = Number(process.env.TUNEFILE_FUZZ_RUNS ?? 200);
/** One input taking longer than this is a hang: the valid inputs load in milliseconds. */
const HANG_MS = 10_000;

function withinBound<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

/** A temp project with elle's data and pipeline. */
async function elleCopy(): Promise<string> {
  const root = await tempDir("tunefile-fuzz-", "file");
  await mkdir(path.join(root, "pipelines"), { recursive: true });
  await cp(path.join(REPO_ROOT, "pipelines/data/elle"), path.join(root, "pipelines/data/elle"), { recursive: true });
  return root;
}

describe(`fuzzing the loaders (${RUNS} runs each)`, () => {
  it("loadPipeline returns a result for every mutation of elle.yaml, and every error has a code", async () => {
    const root = await elleCopy();
    const seed = await readFile(path.join(REPO_ROOT, "pipelines/elle.yaml"));
    const file = path.join(root, "pipelines/fuzz.yaml");
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (mutations) => {
        await writeFile(file, applyAll(seed, mutations));
        const result = await withinBound("loadPipeline", loadPipeline("pipelines/fuzz.yaml", { cwd: root, env: {} }));
        if (!result.ok) {
          expect(result.diagnostics.length).toBeGreaterThan(0);
          for (const d of result.diagnostics) expect(d.code).toMatch(/^[a-z0-9-]+$/);
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it("the data checks (validate's analysis and the server's file check) return for every mutation of elle's JSONL", async () => {
    const root = await elleCopy();
    const seed = await readFile(path.join(root, "pipelines/data/elle/training-data.jsonl"));
    await writeFile(
      path.join(root, "pipelines/fuzz.yaml"),
      "version: 1\nname: fuzz\nmodel: gpt-4o-mini-2024-07-18\ndataset:\n  train: data/fuzz.jsonl\n",
    );
    const dataFile = path.join(root, "pipelines/data/fuzz.jsonl");
    await writeFile(dataFile, seed);
    const loaded = await loadPipeline("pipelines/fuzz.yaml", { cwd: root, env: {} });
    if (!loaded.ok) throw new Error(`the fuzz pipeline must load: ${JSON.stringify(loaded.diagnostics)}`);
    const spill = await tempDir("tunefile-fuzz-spill-", "file");
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (mutations) => {
        const bytes = applyAll(seed, mutations);
        await writeFile(dataFile, bytes);
        const analysis = await withinBound("analyzeDataset", analyzeDataset(loaded.pipeline, { tempDir: spill }));
        for (const d of analysis.diagnostics) expect(d.code).toMatch(/^[a-z0-9-]+$/);
        const verdict = await withinBound(
          "validateTrainingFile",
          validateTrainingFile(bytes, { method: "supervised", model: "gpt-4o-mini-2024-07-18", purpose: "training" }),
        );
        expect(typeof verdict.ok).toBe("boolean");
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
