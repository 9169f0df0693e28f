import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile schema`: not built yet. */
export default async function schema(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile schema: not built yet");
  return EXIT.failure;
}
