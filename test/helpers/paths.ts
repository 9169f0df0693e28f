import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The CLI entry point; it loads the build, which `npm test` makes first. */
export const BIN = path.join(REPO_ROOT, "bin/tunefile.js");
