/**
 * Parameters <-> ModelSnapshot (plain JSON). Weights are rounded to 4 decimals and each table keeps at most
 * MAX_SNAPSHOT_CONTEXTS contexts (the most trained-on), so a snapshot of a large job stays a few MB.
 */
import type { Encoding } from "../../core/catalog/models.js";
import type { Key } from "./hash.js";
import { emptyParams, newEntry, type Params, TABLES } from "./params.js";
import type { ModelSnapshot } from "./types.js";

export const SNAPSHOT_VERSION = 2;
/** Per table; contexts seen most often are kept, ties broken by key for determinism. */
export const MAX_SNAPSHOT_CONTEXTS = 40_000;

/** [context key, times trained on, next tokens, weights] */
type StoredEntry = [Key, number, number[], number[]];

interface TinyLmSnapshot extends ModelSnapshot {
  encoding: Encoding;
  tables: Record<string, StoredEntry[]>;
  globals: [Key, number][];
  /** [searched text, copyable text] */
  passages: [string, string][];
}

/** `|| 0` turns -0 into 0, so a snapshot equals its own JSON round trip. */
const round = (w: number) => Math.round(w * 1e4) / 1e4 || 0;

export function toSnapshot(params: Params, baseModel: string): ModelSnapshot {
  const tables: Record<string, StoredEntry[]> = {};
  TABLES.forEach((spec, t) => {
    let rows = [...params.tables[t]!];
    if (rows.length > MAX_SNAPSHOT_CONTEXTS) {
      rows.sort((a, b) => b[1].n - a[1].n || a[0] - b[0]);
      rows = rows.slice(0, MAX_SNAPSHOT_CONTEXTS);
    }
    tables[spec.name] = rows.map(([k, e]) => [k, e.n, [...e.toks], e.w.map(round)]);
  });
  const globals = [...params.globals].map(([k, w]): [Key, number] => [k, round(w)]);
  return {
    kind: "tunefile-tiny-lm",
    version: SNAPSHOT_VERSION,
    baseModel,
    encoding: params.encoding,
    tables,
    globals,
    passages: params.passages.map((p) => [p.index, p.text]),
  } satisfies TinyLmSnapshot;
}

const cache = new WeakMap<ModelSnapshot, Params>();

/** The parameters of a snapshot (memoised per snapshot object; callers must not mutate them). */
export function paramsOf(snapshot: ModelSnapshot): Params {
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const s = snapshot as TinyLmSnapshot;
  if (
    s.kind !== "tunefile-tiny-lm" ||
    (s.version !== SNAPSHOT_VERSION && s.version !== 1) ||
    typeof s.tables !== "object"
  ) {
    throw new Error(`internal error, please report: unsupported model snapshot ${s.kind} v${s.version}`);
  }
  const params = emptyParams(s.encoding);
  TABLES.forEach((spec, t) => {
    const table = params.tables[t]!;
    for (const [k, n, toks, w] of s.tables[spec.name] ?? []) {
      table.set(k, newEntry([...toks], [...w], n));
    }
  });
  for (const [k, w] of s.globals) params.globals.set(k, w);
  // Version 1 snapshots predate retrieval: they have no passages and are otherwise the same.
  params.passages = (s.passages ?? []).map(([index, text]) => ({ index, text }));
  cache.set(snapshot, params);
  return params;
}
