import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile report`: not built yet. */
export default async function report(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile report: not built yet");
  return EXIT.failure;
}
