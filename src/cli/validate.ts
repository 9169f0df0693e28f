import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile validate`: not built yet. */
export default async function validate(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile validate: not built yet");
  return EXIT.failure;
}
