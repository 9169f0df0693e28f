import { readFile } from "node:fs/promises";
import { type CliIo, EXIT, writeLine } from "./io.js";

/** The schemas ship in the package's schemas/ folder: the same relative path from src/cli and dist/cli. */
const SCHEMAS = new URL("../../schemas/", import.meta.url);

/** `tunefile schema [--lockfile]`: prints the pipeline (or lockfile) JSON Schema, for editors and other tools. */
export default async function schema(args: { lockfile?: true }, io: CliIo): Promise<number> {
  const name = args.lockfile === true ? "lockfile.schema.json" : "pipeline.schema.json";
  let text: string;
  try {
    text = await readFile(new URL(name, SCHEMAS), "utf8");
  } catch {
    writeLine(io.stderr, `tunefile schema: schemas/${name} is not available in this installation`);
    return EXIT.failure;
  }
  io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return EXIT.ok;
}
