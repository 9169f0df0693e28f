import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile serve`: not built yet. */
export default async function serve(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile serve: not built yet");
  return EXIT.failure;
}
