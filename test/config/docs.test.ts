import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOADING_CODES } from "../../src/diagnostics/codes.js";
import { REPO_ROOT } from "../helpers/paths.js";

type Schema = { properties?: Record<string, Schema>; definitions?: Record<string, Schema> };

describe("docs/pipeline.md", () => {
  it("lists every loading diagnostic code and every key of the schema", async () => {
    const doc = await readFile(path.join(REPO_ROOT, "docs/pipeline.md"), "utf8");
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, "schemas/pipeline.schema.json"), "utf8")) as Schema;
    expect(Object.keys(LOADING_CODES).filter((code) => !doc.includes(`| \`${code}\` |`))).toEqual([]);
    const keys = new Set<string>();
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      const s = node as Schema;
      for (const key of Object.keys(s.properties ?? {})) keys.add(key);
      for (const child of Object.values(node)) walk(child);
    };
    walk(schema);
    expect([...keys].filter((key) => !doc.includes(key))).toEqual([]);
  });
});
