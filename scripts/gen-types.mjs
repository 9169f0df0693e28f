// Derives src/core/pipeline.generated.ts from schemas/pipeline.schema.json, the one source of truth.
// `npm run gen:types` rewrites it; test/config/schema-drift.test.ts fails when the two disagree.
import { readFile, writeFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";

export async function generatePipelineTypes() {
  const schema = JSON.parse(await readFile(new URL("../schemas/pipeline.schema.json", import.meta.url), "utf8"));
  return compile(schema, "Pipeline", {
    unreachableDefinitions: true,
    additionalProperties: false,
    bannerComment: "/* Generated from schemas/pipeline.schema.json by `npm run gen:types`. Do not edit by hand. */",
    style: { printWidth: 120 },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL("../src/core/pipeline.generated.ts", import.meta.url);
  await writeFile(out, await generatePipelineTypes());
  console.log("wrote src/core/pipeline.generated.ts");
}
