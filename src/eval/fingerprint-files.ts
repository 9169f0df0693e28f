import path from "node:path";
import { sha256OfFiles } from "../core/hash-file.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { expandSource } from "../data/sources/index.js";
import { parseGrader } from "./graders/grade.js";

/**
 * The files an evaluation reads besides the training data: prompt datasets (`from`) and custom grader modules,
 * each as sha256 of its content keyed by its path relative to the project root (see sha256OfFiles).
 */
export async function evaluationFileHashes(pipeline: LoadedPipeline): Promise<Record<string, string>> {
  const evaluation = pipeline.config.evaluation;
  if (!evaluation) return {};
  const files = new Set<string>();
  for (const prompt of evaluation.prompts) {
    if (prompt.from) {
      const expanded = await expandSource(prompt.from, pipeline.paths.dir, pipeline.paths.root);
      for (const f of expanded.files) files.add(f.path);
    }
  }
  const graders = [...(evaluation.assert ?? []), ...evaluation.prompts.flatMap((p) => p.assert ?? [])];
  for (const g of graders) {
    const parsed = parseGrader(g);
    if (typeof parsed !== "string" && parsed.kind === "module") {
      files.add(path.resolve(pipeline.paths.dir, (parsed.value as { path: string }).path));
    }
  }
  return sha256OfFiles(pipeline.paths.root, files);
}
