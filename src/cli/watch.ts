import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile watch`: not built yet. */
export default async function watch(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile watch: not built yet");
  return EXIT.failure;
}
