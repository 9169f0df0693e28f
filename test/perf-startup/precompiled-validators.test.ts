import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { glob } from "tinyglobby";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadPrecompiledValidator, runtimeAjv } from "../../src/config/precompiled-validator.js";
import { PIPELINE_AJV_OPTIONS } from "../../src/config/validate-schema.js";
import { LOCKFILE_AJV_OPTIONS } from "../../src/engine/lockfile/parse.js";
import { REPO_ROOT } from "../helpers/paths.js";

// The build's generator, imported as `npm run build` runs it.
const generator = (await import(pathToFileURL(path.join(REPO_ROOT, "scripts/compile-validators.mjs")).href)) as {
  VALIDATORS: { schema: string; out: string; options: object; formats: boolean }[];
  validatorModule: (schemaText: string, v: { options: object; formats: boolean }) => string;
};

// Generated modules require ajv's runtime helpers, so they are written inside the repo (test-artifacts/ is
// ignored by git) where node_modules resolves, exactly as under dist/.
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function artifactDir(): Promise<string> {
  await mkdir(path.join(REPO_ROOT, "test-artifacts"), { recursive: true });
  const dir = await mkdtemp(path.join(REPO_ROOT, "test-artifacts", "perf-startup-"));
  dirs.push(dir);
  return dir;
}

/** Generates the validator for `schema` like the build does and loads it like the CLI does. */
async function precompiled(schema: string) {
  const spec = generator.VALIDATORS.find((v) => v.schema === schema);
  if (!spec) throw new Error(`no generator entry for ${schema}`);
  const text = await readFile(path.join(REPO_ROOT, schema), "utf8");
  const file = path.join(await artifactDir(), path.basename(spec.out));
  await writeFile(file, generator.validatorModule(text, spec));
  const validate = loadPrecompiledValidator(pathToFileURL(file), text);
  if (!validate) throw new Error("the freshly generated validator was not accepted");
  return { validate, spec, text };
}

/**
 * Verdict and the full error objects (messages, paths, and for verbose, data and schema), compared
 * structurally: verbose errors may hold the same object twice, so they are not JSON text.
 */
function outcome(validate: (value: unknown) => boolean, value: unknown): { ok: boolean; errors: unknown } {
  const v = validate as ((value: unknown) => boolean) & { errors?: unknown };
  const ok = v(value);
  return { ok, errors: v.errors ?? null };
}

describe("precompiled pipeline validator", () => {
  it("is generated with the runtime's ajv options", () => {
    expect(generator.VALIDATORS.find((v) => v.schema === "schemas/pipeline.schema.json")?.options).toEqual(
      PIPELINE_AJV_OPTIONS,
    );
  });

  it("gives the same verdicts and errors as ajv compiled at run time on every pipeline fixture", async () => {
    const { validate, text } = await precompiled("schemas/pipeline.schema.json");
    const runtime = runtimeAjv(PIPELINE_AJV_OPTIONS, false).compile(JSON.parse(text));
    const files = await glob(["test/fixtures/**/*.yaml", "pipelines/*.yaml"], {
      cwd: REPO_ROOT,
      ignore: ["**/*.lock.yaml"],
    });
    let compared = 0;
    let invalid = 0;
    for (const f of files.sort()) {
      let value: unknown;
      try {
        value = parse(await readFile(path.join(REPO_ROOT, f), "utf8"));
      } catch {
        continue; // not YAML at all (syntax fixtures): never reaches the schema
      }
      const expected = outcome(runtime, value);
      expect(outcome(validate, value), f).toStrictEqual(expected);
      compared++;
      if (!expected.ok) invalid++;
    }
    // The fixtures must exercise both verdicts, or the comparison proves little.
    expect(compared).toBeGreaterThan(20);
    expect(invalid).toBeGreaterThan(10);
  });
});

describe("precompiled lockfile validator", () => {
  const FP = "0123456789abcdef".repeat(4);
  const valid = {
    version: 1,
    pipeline: "elle",
    provider: { kind: "local", base_url: "http://127.0.0.1:4000/v1" },
    stages: {
      prepare: {
        status: "succeeded",
        fingerprint: FP,
        attempts: 2,
        started_at: "2026-01-02T03:00:00.000Z",
        finished_at: "2026-01-02T03:00:01.000Z",
        outputs: { train_examples: 10 },
      },
    },
  };
  const variants: Record<string, unknown> = {
    valid,
    "date-time format (ajv-formats)": {
      ...valid,
      stages: { prepare: { ...valid.stages.prepare, started_at: "yesterday" } },
    },
    "unknown status": { ...valid, stages: { prepare: { ...valid.stages.prepare, status: "halfway" } } },
    "missing fingerprint": { ...valid, stages: { prepare: { status: "succeeded", attempts: 1 } } },
    "extra top-level key": { ...valid, extra: true },
    "wrong types": { version: "1", pipeline: 3, provider: [], stages: null },
    "not an object": "lockfile",
  };

  it("is generated with the runtime's ajv options", () => {
    expect(generator.VALIDATORS.find((v) => v.schema === "schemas/lockfile.schema.json")?.options).toEqual(
      LOCKFILE_AJV_OPTIONS,
    );
  });

  it("gives the same verdicts and errors as ajv compiled at run time, formats included", async () => {
    const { validate, text } = await precompiled("schemas/lockfile.schema.json");
    const runtime = runtimeAjv(LOCKFILE_AJV_OPTIONS, true).compile(JSON.parse(text));
    const verdicts: Record<string, boolean> = {};
    for (const [name, value] of Object.entries(variants)) {
      expect(outcome(validate, value), name).toStrictEqual(outcome(runtime, value));
      verdicts[name] = validate(value);
    }
    expect(verdicts).toEqual({
      valid: true,
      "date-time format (ajv-formats)": false,
      "unknown status": false,
      "missing fingerprint": false,
      "extra top-level key": false,
      "wrong types": false,
      "not an object": false,
    });
  });
});

describe("loading a precompiled validator", () => {
  it("refuses one generated from a different schema text, so a stale build falls back to ajv", async () => {
    const { text } = await precompiled("schemas/lockfile.schema.json");
    const spec = generator.VALIDATORS.find((v) => v.schema === "schemas/lockfile.schema.json");
    if (!spec) throw new Error("no lockfile entry");
    const file = path.join(await artifactDir(), "stale.generated.cjs");
    await writeFile(file, generator.validatorModule(text, spec));
    const edited = text.replace('"version"', '"version" ');
    expect(loadPrecompiledValidator(pathToFileURL(file), edited)).toBeUndefined();
    expect(loadPrecompiledValidator(pathToFileURL(file), text)).toBeTypeOf("function");
  });

  it("reports none when nothing was generated (running from src/)", () => {
    expect(loadPrecompiledValidator(new URL("./no-such-validator.generated.cjs", import.meta.url), "{}")).toBe(
      undefined,
    );
  });
});
