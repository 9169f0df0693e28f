import { readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "../../helpers/paths.js";

/** test/fixtures/bad-input: malformed pipelines (pipelines/) and datasets (datasets/), each with its expected code. */
export const CORPUS = path.join(REPO_ROOT, "test/fixtures/bad-input");

/** pipelines.expected.json: file name → the error code its first diagnostic must carry. */
export function pipelineCases(): [string, string][] {
  const expected = JSON.parse(readFileSync(path.join(CORPUS, "pipelines.expected.json"), "utf8"));
  return Object.entries(expected as Record<string, string>);
}

/** The wrapper a dataset is checked through: plain examples, DPO pairs, or CSV rows through a template. */
export type DatasetKind = "supervised" | "dpo" | "csv";

/** datasets.expected.json: file name → the code expected among the errors, and the wrapper kind. */
export function datasetCases(): [string, { code: string; kind: DatasetKind }][] {
  const expected = JSON.parse(readFileSync(path.join(CORPUS, "datasets.expected.json"), "utf8"));
  return Object.entries(expected as Record<string, { code: string; kind?: DatasetKind }>).map(([file, c]) => [
    file,
    { code: c.code, kind: c.kind ?? "supervised" },
  ]);
}

const TEMPLATE = `  transforms:
    - template:
        messages:
          - { role: user, content: "{{question}}" }
          - { role: assistant, content: "{{answer}}" }
`;

/** The pipeline text that reads `data/<file>` as its training set. */
export function wrapperPipeline(file: string, kind: DatasetKind): string {
  const head = `version: 1\nname: corpus\nmodel: gpt-4o-mini-2024-07-18\ndataset:\n  train: data/${file}\n`;
  switch (kind) {
    case "supervised":
      return head;
    case "dpo":
      return `${head}training: { method: dpo }\n`;
    case "csv":
      return head + TEMPLATE;
  }
}

/** A temp project `dir` holding `pipeline.yaml` that trains on `source` (copied to data/<name>). */
export async function datasetProject(dir: string, source: string, kind: DatasetKind, name = path.basename(source)) {
  await mkdir(path.join(dir, "data"), { recursive: true });
  await copyFile(source, path.join(dir, "data", name));
  await writeFile(path.join(dir, "pipeline.yaml"), wrapperPipeline(name, kind));
}
