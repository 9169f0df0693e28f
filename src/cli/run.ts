import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile run`: not built yet. */
export default async function run(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile run: not built yet");
  return EXIT.failure;
}
