// Derives the TypeScript types of the pipeline file and the lockfile from their JSON Schemas, the one source of
// truth for each: src/core/pipeline.generated.ts and src/core/lockfile.generated.ts. `npm run gen:types` rewrites
// them; test/config/schema-drift.test.ts fails when a schema and its types disagree.
import { readFile, writeFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";

const TARGETS = [
  { schema: "pipeline.schema.json", name: "Pipeline", out: "src/core/pipeline.generated.ts" },
  { schema: "lockfile.schema.json", name: "Lockfile", out: "src/core/lockfile.generated.ts" },
];

async function generate(target) {
  const schema = JSON.parse(await readFile(new URL(`../schemas/${target.schema}`, import.meta.url), "utf8"));
  return compile(schema, target.name, {
    unreachableDefinitions: true,
    additionalProperties: false,
    bannerComment: `/* Generated from schemas/${target.schema} by \`npm run gen:types\`. Do not edit by hand. */`,
    style: { printWidth: 120 },
  });
}

export function generatePipelineTypes() {
  return generate(TARGETS[0]);
}

export function generateLockfileTypes() {
  return generate(TARGETS[1]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const target of TARGETS) {
    await writeFile(new URL(`../${target.out}`, import.meta.url), await generate(target));
    console.log(`wrote ${target.out}`);
  }
}
