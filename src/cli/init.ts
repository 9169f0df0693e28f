import { relativePosix } from "../core/display-path.js";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipelineNameFrom, starterData, starterPipeline } from "../config/starter.js";
import { type CliIo, EXIT, writeLine } from "./io.js";

/** Where the schema is for the editor modeline: this repository's copy, else the installed package's. */
function schemaRef(cwd: string, pipelineDir: string): string {
  const local = path.join(cwd, "schemas/pipeline.schema.json");
  const target = existsSync(local) ? local : path.join(cwd, "node_modules/tunefile/schemas/pipeline.schema.json");
  return relativePosix(pipelineDir, target);
}

/**
 * `tunefile init [file] [--force]`: writes a commented starter pipeline and, when missing, a sample dataset beside
 * it. Refuses to overwrite an existing pipeline without --force (exit 2).
 */
export default async function initCommand(args: { file: string; force?: true }, io: CliIo): Promise<number> {
  const target = path.resolve(io.cwd, args.file);
  const display = path.relative(io.cwd, target) || target;
  if (existsSync(target) && args.force !== true) {
    writeLine(io.stderr, `tunefile init: ${display} already exists; pass --force to overwrite it`);
    return EXIT.invalid;
  }
  const name = pipelineNameFrom(path.basename(target));
  const dir = path.dirname(target);
  const trainPath = `data/${name}/train.jsonl`;
  const dataFile = path.join(dir, trainPath);
  await mkdir(dir, { recursive: true });
  await writeFile(
    target,
    starterPipeline({ name, schemaRef: schemaRef(io.cwd, dir), trainPath, displayFile: display }),
  );
  writeLine(io.stdout, `wrote ${display}`);
  if (!existsSync(dataFile)) {
    await mkdir(path.dirname(dataFile), { recursive: true });
    await writeFile(dataFile, starterData());
    writeLine(io.stdout, `wrote ${path.relative(io.cwd, dataFile)} (15 sample examples; replace them with yours)`);
  }
  writeLine(io.stdout, `next: tunefile validate ${display}`);
  return EXIT.ok;
}
