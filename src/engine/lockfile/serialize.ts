import { stringify } from "yaml";
import { STAGE_NAMES, type StageRecord } from "../stage.js";
import type { Lockfile } from "./types.js";

const HEADER =
  "# Written by tunefile: the state of each stage of this pipeline. Commit it.\n" +
  "# Hand edits are checked against schemas/lockfile.schema.json; delete a stage's record to rerun it.\n";

/** Record keys in reading order: what happened first, the bulky details last. */
const RECORD_KEYS: (keyof StageRecord)[] = [
  "status",
  "fingerprint",
  "attempts",
  "started_at",
  "finished_at",
  "error",
  "checkpoint",
  "outputs",
  "fingerprint_parts",
];

/**
 * Human-readable YAML with a stable key order (fixed for the known keys, sorted for free-form maps), so that two
 * runs that record the same state write the same bytes and a commit's diff shows only what changed.
 */
export function serializeLockfile(lockfile: Lockfile): string {
  const ordered: Record<string, unknown> = { version: lockfile.version, pipeline: lockfile.pipeline };
  if (lockfile.root !== undefined) ordered.root = lockfile.root;
  if (lockfile.provider) ordered.provider = { kind: lockfile.provider.kind, base_url: lockfile.provider.base_url };
  if (lockfile.overrides && Object.keys(lockfile.overrides).length > 0) {
    ordered.overrides = sortKeysDeep(lockfile.overrides);
  }
  const stages: Record<string, unknown> = {};
  for (const name of STAGE_NAMES) {
    const record = lockfile.stages[name];
    if (record) stages[name] = orderRecord(record);
  }
  ordered.stages = stages;
  return HEADER + stringify(ordered, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
}

function orderRecord(record: StageRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of RECORD_KEYS) {
    const value = record[key];
    if (value === undefined) continue;
    out[key] = key === "error" ? { code: record.error?.code, message: record.error?.message } : sortKeysDeep(value);
  }
  return out;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeysDeep(record[k])]),
    );
  }
  return value;
}
