import path from "node:path";

/** How a file is shown to the user: relative to `displayBase` when inside it, else absolute; always with `/`. */
export function displayPathOf(file: string, displayBase: string): string {
  const rel = path.relative(displayBase, file);
  if (rel === "") return ".";
  const shown = rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
  return shown.split(path.sep).join("/");
}

/** `to` relative to `from` with `/` separators, so the lockfile and reports read the same on every platform. */
export function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/");
}
