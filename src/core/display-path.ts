import path from "node:path";

/** How a file is shown to the user: relative to `displayBase` when inside it, else absolute; always with `/`. */
export function displayPathOf(file: string, displayBase: string): string {
  const rel = relativePosix(displayBase, file);
  if (rel === "") return ".";
  return rel.startsWith("..") || path.isAbsolute(rel) ? file.split(path.sep).join("/") : rel;
}

/** `to` relative to `from` with `/` separators, so the lockfile and reports read the same on every platform. */
export function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/");
}
