import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile cancel`: not built yet. */
export default async function cancel(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile cancel: not built yet");
  return EXIT.failure;
}
