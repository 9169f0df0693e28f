import { type CliIo, EXIT, writeLine } from "./io.js";

/** `tunefile rollback`: not built yet. */
export default async function rollback(_args: Record<string, unknown>, io: CliIo): Promise<number> {
  writeLine(io.stderr, "tunefile rollback: not built yet");
  return EXIT.failure;
}
