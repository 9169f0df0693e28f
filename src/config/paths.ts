import path from "node:path";
import type { PipelinePaths } from "../core/loaded-pipeline.js";

/**
 * Where everything of a pipeline lives. Data paths are relative to the pipeline's directory; generated state
 * (.tunefile/, reports/, deployments/) to the project root, the working directory the command runs in.
 */
export function pipelinePaths(file: string, displayFile: string, root: string, name: string): PipelinePaths {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/\.ya?ml$/i, "");
  return {
    file,
    displayFile,
    dir,
    root,
    lockfile: path.join(dir, `${base}.lock.yaml`),
    workDir: path.join(root, ".tunefile", name),
    reportsDir: path.join(root, "reports", name),
    deploymentsDir: path.join(root, "deployments"),
  };
}
