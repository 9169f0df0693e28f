import { relativePosix } from "../core/display-path.js";
import { loadPipeline } from "../pipeline/load.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { deployOnAzure } from "../deploy/azure.js";
import { deploymentFilePath, readDeployments, rollbackDeployment, writeDeployments } from "../deploy/record.js";
import { withRunLock } from "../engine/run-lock.js";
import { makeRedactor } from "../providers/redact.js";
import { systemClock } from "../core/clock.js";
import { type CliIo, EXIT, printDiagnostics, writeLine } from "./io.js";

/**
 * `tunefile rollback <pipeline>`: moves the alias in deployments/<name>.json back one step, records that in its log,
 * and with `deploy.azure` points the Azure deployment back at the earlier model first.
 */
export default async function rollback(args: { pipeline: string }, io: CliIo): Promise<number> {
  const file = args.pipeline;
  const loaded = await loadPipeline(file, { cwd: io.cwd, env: io.env });
  if (!loaded.ok) {
    printDiagnostics(io, loaded.diagnostics, loaded.sources);
    return EXIT.invalid;
  }
  const { paths } = loaded.pipeline;
  // The deployments file has one writer at a time: a run's deploy stage holds the same lock while it writes.
  const locked = await withRunLock(paths, systemClock, () => rollbackLocked(loaded.pipeline, io));
  if (!locked.ok) writeLine(io.stderr, `tunefile rollback: nothing was changed: ${locked.message}`);
  return locked.ok ? locked.value : EXIT.failure;
}

async function rollbackLocked(pipeline: LoadedPipeline, io: CliIo): Promise<number> {
  const { config, paths } = pipeline;
  const recordFile = deploymentFilePath(paths.deploymentsDir, config.name);
  const shown = relativePosix(io.cwd, recordFile);
  const existing = await readDeployments(recordFile);
  if (!existing) {
    writeLine(io.stderr, `tunefile rollback: ${shown} does not exist; nothing was deployed yet`);
    return EXIT.failure;
  }
  const step = rollbackDeployment(existing, systemClock.now().toISOString());
  if (!step.ok) {
    writeLine(io.stderr, `tunefile rollback: ${step.message} (${shown})`);
    return EXIT.failure;
  }
  const azure = config.deploy?.azure;
  if (azure) {
    const name = step.from.azure?.name ?? azure.deployment_name ?? existing.alias;
    const result = await deployOnAzure({
      settings: azure,
      name,
      model: step.to.model,
      env: io.env,
      clock: systemClock,
      signal: io.signal,
      redact: makeRedactor(io.env, config),
    });
    if (!result.ok) {
      writeLine(io.stderr, `tunefile rollback: Azure deployment ${name} was not changed: ${result.message}`);
      return EXIT.failure;
    }
    step.record.current = { ...step.to, azure: { id: result.id, name: result.name } };
  }
  await writeDeployments(recordFile, step.record);
  writeLine(io.stdout, `${existing.alias}: ${step.from.model} → ${step.to.model} (${shown})`);
  return EXIT.ok;
}
