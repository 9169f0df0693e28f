import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile status`: not built yet. */
export default async function status(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile status: not built yet");
  return EXIT.failure;
}
