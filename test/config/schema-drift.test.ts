import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { generateLockfileTypes, generatePipelineTypes } from "../../scripts/gen-types.mjs";
import { REPO_ROOT } from "../helpers/paths.js";

describe("src/core/pipeline.generated.ts", () => {
  it("matches what scripts/gen-types.mjs derives from schemas/pipeline.schema.json (run `npm run gen:types`)", async () => {
    const committed = await readFile(path.join(REPO_ROOT, "src/core/pipeline.generated.ts"), "utf8");
    expect(committed).toBe(await (generatePipelineTypes as () => Promise<string>)());
  });
});

describe("src/core/lockfile.generated.ts", () => {
  it("matches what scripts/gen-types.mjs derives from schemas/lockfile.schema.json (run `npm run gen:types`)", async () => {
    const committed = await readFile(path.join(REPO_ROOT, "src/core/lockfile.generated.ts"), "utf8");
    expect(committed).toBe(await (generateLockfileTypes as () => Promise<string>)());
  });
});
