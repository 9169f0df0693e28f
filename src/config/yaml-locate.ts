import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { SourceSpan } from "../diagnostics/diagnostic.js";

/** A path into the pipeline value: object keys and array indices, like ajv's instancePath split on `/`. */
export type ValuePath = readonly (string | number)[];

/** Turns ajv's JSON-pointer instancePath (`/dataset/transforms/0`) into a path; numeric segments stay strings. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `dataset.transforms[0].template`, for messages. The root is `the pipeline`. */
export function displayPath(path: ValuePath): string {
  if (path.length === 0) return "the pipeline";
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number" || /^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

interface Located {
  /** The value node at the path, or the deepest existing ancestor's. */
  node: Node | undefined;
  /** The key node of the last segment, when the path ends at a map entry. */
  key: Node | undefined;
  /** Whether the whole path exists in the document. */
  exact: boolean;
}

/** Finds the node at `path` in the YAML document, walking maps by key and sequences by index. */
export function locate(doc: Document, path: ValuePath): Located {
  let node = doc.contents as Node | null | undefined;
  let key: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node: node ?? undefined, key, exact: false };
      key = pair.key as Node;
      node = pair.value as Node | null;
      if (node === null) return { node: key, key, exact: true };
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (item === undefined) return { node, key, exact: false };
      key = undefined;
      node = item;
    } else {
      return { node: node ?? undefined, key, exact: false };
    }
  }
  return { node: node ?? undefined, key, exact: true };
}

/** The span of a node's value (from its first to its last character; multi-line values keep endLine). */
export function spanOfRange(range: readonly [number, number], file: string, lines: LineCounter): SourceSpan {
  const start = lines.linePos(range[0]);
  const end = lines.linePos(Math.max(range[0], range[1]));
  const span: SourceSpan = { file, line: start.line, col: start.col, endCol: end.col };
  if (end.line !== start.line) span.endLine = end.line;
  return span;
}

/** The span of a node, or the top of the file when the document has no node there. */
export function spanOfNode(node: Node | undefined, file: string, lines: LineCounter): SourceSpan {
  if (node?.range) return spanOfRange([node.range[0], node.range[1]], file, lines);
  return { file, line: 1, col: 1 };
}
