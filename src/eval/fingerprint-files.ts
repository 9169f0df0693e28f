import { relativePosix } from "../core/display-path.js";
import path from "node:path";
import { sha256OfFile } from "../core/hash-file.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { expandSource } from "../data/sources/index.js";
import { parseGrader } from "./graders/grade.js";

/**
 * The files an evaluation reads besides the training data: prompt datasets (`from`) and custom grader modules,
 * each as sha256 of its content keyed by its path relative to the project root (never absolute: clones must agree).
 * A missing file is left out; the stage reports it when it runs.
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
  const hashes: Record<string, string> = {};
  for (const file of [...files].sort()) {
    const hash = await sha256OfFile(file);
    if (hash !== undefined) hashes[relativePosix(pipeline.paths.root, file)] = hash;
  }
  return hashes;
}
