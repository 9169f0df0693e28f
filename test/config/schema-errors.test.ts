import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { REPO_ROOT } from "../helpers/paths.js";

/**
 * Schema errors through `oneOf` (sources, transforms, candidates, graders, provider) come out as one clear message
 * per mistake: the form the value was meant to be is recognised and only its problems are reported.
 */
describe("schema errors under oneOf", () => {
  it("reports one clear diagnostic per mistake", async () => {
    const dir = path.join(REPO_ROOT, "test/fixtures/pipelines/_schema-errors");
    const result = await loadPipeline(path.join(dir, "pipeline.yaml"), { cwd: REPO_ROOT, env: {} });
    const rendered = renderDiagnostics(result.ok ? [] : result.diagnostics, result.sources);
    const expectedFile = path.join(dir, "expected.txt");
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(expectedFile, rendered);
    expect(existsSync(expectedFile), "expected.txt is missing; run with UPDATE_GOLDEN=1 and review it").toBe(true);
    expect(rendered).toBe(await readFile(expectedFile, "utf8"));
    expect(rendered.trimEnd().split("\n").at(-1)).toBe("14 errors");
  });
});
