import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile init`: not built yet. */
export default async function initCommand(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile init: not built yet");
  return EXIT.failure;
}
