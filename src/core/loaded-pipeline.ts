import type { Pipeline } from "./pipeline.generated.js";

/** Where a pipeline's files live. All absolute, derived from the pipeline path and the project root. */
export interface PipelinePaths {
  file: string;
  /** The pipeline file as the user named it, for messages (relative to the working directory). */
  displayFile: string;
  /** Directory of the pipeline file; data paths in the pipeline are relative to it. */
  dir: string;
  /**
   * The project root (the working directory of the first run, recorded in the lockfile): .tunefile/, reports/ and
   * deployments/ live here, and what is recorded names files relative to it.
   */
  root: string;
  /** The working directory: messages name files relative to it, so that they open from where the command ran. */
  displayBase: string;
  /** `<dir>/<basename>.lock.yaml`, beside the pipeline. */
  lockfile: string;
  /** `<root>/.tunefile/<name>`: prepared data, eval cache, raw outputs, metrics. Ignored by git. */
  workDir: string;
  /** `<root>/reports/<name>`. */
  reportsDir: string;
  /** `<root>/deployments`. */
  deploymentsDir: string;
}

/** A pipeline that parsed and validated: `${env:NAME}` resolved, `-S key=value` overrides applied. */
export interface LoadedPipeline {
  config: Pipeline;
  paths: PipelinePaths;
  /** The `-S` overrides applied, recorded in the lockfile. */
  overrides: Record<string, unknown>;
}
