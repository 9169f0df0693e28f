import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile plan`: not built yet. */
export default async function plan(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile plan: not built yet");
  return EXIT.failure;
}
