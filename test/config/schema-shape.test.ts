import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { validateAgainstSchema } from "../../src/config/validate-schema.js";
import { starterPipeline } from "../../src/config/starter.js";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/paths.js";

type Schema = Record<string, unknown>;

/** Every object schema in the tree with its JSON pointer. */
function walk(node: unknown, pointer: string, visit: (s: Schema, pointer: string) => void): void {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) walk(n, `${pointer}/${i}`, visit);
  } else if (node !== null && typeof node === "object") {
    visit(node as Schema, pointer);
    for (const [k, v] of Object.entries(node)) {
      // Inside `const`, `default`, `enum` and `examples` the values are data, not schemas.
      if (!["const", "default", "enum", "examples"].includes(k)) walk(v, `${pointer}/${k}`, visit);
    }
  }
}

describe("schemas/pipeline.schema.json", () => {
  it("describes every property and closes every object (additionalProperties: false)", async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, "schemas/pipeline.schema.json"), "utf8"));
    const undescribed: string[] = [];
    const open: string[] = [];
    const definitions = schema.definitions as Record<string, Schema>;
    // A `$ref` property takes its help text from the definition it names (draft-07 ignores $ref siblings).
    const describe = (prop: Schema): unknown =>
      prop.description ??
      (typeof prop.$ref === "string" ? definitions[prop.$ref.replace("#/definitions/", "")]?.description : undefined);
    walk(schema, "#", (s, pointer) => {
      if (s.properties && typeof s.properties === "object") {
        for (const [key, prop] of Object.entries(s.properties as Record<string, Schema>)) {
          const text = describe(prop);
          if (typeof text !== "string" || text === "") undescribed.push(`${pointer}/properties/${key}`);
        }
        // Free-form objects (grader `module.options`, `json.schema`) have no `properties` and are not checked here.
        if (s.additionalProperties !== false) open.push(pointer);
      }
    });
    expect(undescribed).toEqual([]);
    expect(open).toEqual([]);
  });

  it("compiles under ajv's strict mode (no unknown keywords, no ignored constraints)", async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, "schemas/pipeline.schema.json"), "utf8"));
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(schema)).not.toThrow();
  });

  it("accepts the starter pipeline that `tunefile init` writes", async () => {
    const text = starterPipeline({
      name: "starter",
      schemaRef: "../schemas/pipeline.schema.json",
      trainPath: "data/t.jsonl",
    });
    expect(await validateAgainstSchema(parse(text))).toEqual([]);
  });
});
