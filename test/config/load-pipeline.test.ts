import { statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { capable } from "../helpers/capability.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/pipelines");

describe("loadPipeline on the shipped examples", () => {
  for (const name of ["elle", "faq"]) {
    it(`pipelines/${name}.yaml loads without errors or warnings`, async () => {
      const result = await loadPipeline(`pipelines/${name}.yaml`, { cwd: REPO_ROOT, env: {} });
      if (!result.ok) expect(renderDiagnostics(result.diagnostics, result.sources)).toBe("");
      expect(result.ok && result.warnings).toEqual([]);
    });
  }

  it("computes the paths from the pipeline file and the working directory", async () => {
    const result = await loadPipeline("pipelines/elle.yaml", { cwd: REPO_ROOT, env: {} });
    expect(result.ok && result.pipeline.paths).toEqual({
      file: path.join(REPO_ROOT, "pipelines/elle.yaml"),
      displayFile: "pipelines/elle.yaml",
      displayBase: REPO_ROOT,
      dir: path.join(REPO_ROOT, "pipelines"),
      root: REPO_ROOT,
      lockfile: path.join(REPO_ROOT, "pipelines/elle.lock.yaml"),
      workDir: path.join(REPO_ROOT, ".tunefile/elle"),
      reportsDir: path.join(REPO_ROOT, "reports/elle"),
      deploymentsDir: path.join(REPO_ROOT, "deployments"),
    });
  });
});

describe("a pipeline with five different mistakes", () => {
  it("reports all five, each with line and column", async () => {
    const dir = path.join(FIXTURES, "_five-mistakes");
    const result = await loadPipeline(path.join(dir, "pipeline.yaml"), { cwd: REPO_ROOT, env: {} });
    expect(result.ok).toBe(false);
    const diagnostics = result.ok ? [] : result.diagnostics;
    expect(diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([
      ["unset-env", 6, 14],
      ["unknown-model", 7, 8],
      ["unknown-key", 10, 3],
      ["split-out-of-range", 11, 24],
      ["template-variable", 16, 42],
    ]);
    const rendered = renderDiagnostics(diagnostics, result.sources);
    expect(rendered).toBe(await readFile(path.join(dir, "expected.txt"), "utf8"));
  });
});

describe("overrides and interpolation", () => {
  it("applies -S overrides as YAML scalars before validation and records them", async () => {
    const result = await loadPipeline("pipelines/elle.yaml", {
      cwd: REPO_ROOT,
      env: {},
      overrides: [
        "training.hyperparameters.n_epochs=5",
        "evaluation.params.temperature=0.5",
        "training.suffix=elle-v2",
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.config.training?.hyperparameters?.n_epochs).toBe(5);
    expect(result.pipeline.config.evaluation?.params?.temperature).toBe(0.5);
    expect(result.pipeline.overrides).toEqual({
      "training.hyperparameters.n_epochs": 5,
      "evaluation.params.temperature": 0.5,
      "training.suffix": "elle-v2",
    });
  });

  it("points a schema error in an override at the -S argument", async () => {
    const result = await loadPipeline("pipelines/elle.yaml", {
      cwd: REPO_ROOT,
      env: {},
      overrides: ["training.hyperparameters.n_epochs=many", "training.sed=3"],
    });
    expect(result.ok).toBe(false);
    expect(renderDiagnostics(result.ok ? [] : result.diagnostics, result.sources)).toBe(
      [
        '<-S overrides>:1:35 error[invalid-value] `training.hyperparameters.n_epochs` must be an integer from 1 to 50 or `auto`, not "many"',
        "  |",
        "1 | training.hyperparameters.n_epochs=many",
        "  |                                   ^~~~",
        "<-S overrides>:2:1 error[unknown-key] unknown key `sed` in `training`",
        "  |",
        "2 | training.sed=3",
        "  | ^~~~~~~~~~~~",
        "  = hint: did you mean `seed`?",
        "2 errors",
        "",
      ].join("\n"),
    );
  });

  it("resolves env references from the given environment only", async () => {
    const dir = await tempDir();
    const text = (await readFile(path.join(REPO_ROOT, "pipelines/elle.yaml"), "utf8"))
      .replace("model: gpt-4o-mini-2024-07-18", `model: "$\{env:TUNEFILE_MODEL}"`)
      .replaceAll("data/elle/", `${path.join(REPO_ROOT, "pipelines/data/elle")}/`);
    await writeFile(path.join(dir, "elle.yaml"), text);
    const result = await loadPipeline("elle.yaml", { cwd: dir, env: { TUNEFILE_MODEL: "gpt-4.1-mini-2025-04-14" } });
    expect(result.ok && result.pipeline.config.model).toBe("gpt-4.1-mini-2025-04-14");
  });
});

describe("env problems", () => {
  it("hide the follow-up errors on the same value, but not the rest of the line", async () => {
    const dir = await tempDir();
    const ref = (name: string) => `"$\{env:${name}}"`;
    await writeFile(
      path.join(dir, "p.yaml"),
      [
        "version: 1",
        "name: p",
        `model: ${ref("TUNEFILE_NOPE")}`,
        `provider: { kind: openai, base_url: ${ref("TUNEFILE_NOPE2")}, foo: 1 }`,
        "dataset: { train: p.yaml, format: x }",
        "",
      ].join("\n"),
    );
    const result = await loadPipeline("p.yaml", { cwd: dir, env: {} });
    expect(result.ok ? [] : result.diagnostics.map((d) => `${d.span?.line}:${d.span?.col} ${d.code}`)).toEqual([
      "3:9 unset-env",
      "4:38 unset-env",
      "4:62 unknown-key",
      "5:19 unknown-format",
      "5:27 unknown-key",
    ]);
  });
});

describe("hostile and odd input", () => {
  it("loads a file with a BOM and CRLF line ends, with a warning", async () => {
    const result = await loadPipeline(path.join(FIXTURES, "byte-order-mark/pipeline.yaml"), {
      cwd: REPO_ROOT,
      env: {},
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(["byte-order-mark"]);
    expect(result.ok && result.pipeline.config.name).toBe("byte-order-mark");
  });

  it.runIf(capable("a device file", () => statSync("/dev/zero")))(
    "refuses a device file instead of reading it forever",
    async () => {
      const result = await loadPipeline("/dev/zero", { cwd: REPO_ROOT, env: {} });
      expect(renderDiagnostics(result.ok ? [] : result.diagnostics, result.sources)).toBe(
        "error[unreadable-file] /dev/zero is not a regular file\n1 error\n",
      );
    },
  );

  it("never throws, whatever the bytes", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "p.yaml");
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom(
            "version: 1\nname: x\nmodel: gpt-4o\ndataset: {train: [",
            "&a [*a]",
            "- - - -",
            "{{}}",
            "!!binary x",
          ),
        ),
        async (content) => {
          await writeFile(file, content);
          const result = await loadPipeline(file, { cwd: dir, env: {} });
          const diagnostics = result.ok ? result.warnings : result.diagnostics;
          expect(typeof renderDiagnostics(diagnostics, result.sources)).toBe("string");
          if (!result.ok) expect(diagnostics.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150, seed: 20261125 },
    );
  });
});
