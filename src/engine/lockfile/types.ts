import type { ProviderIdentity } from "../../providers/provider.js";
import type { StageName, StageRecord } from "../stage.js";

/** The lockfile format this tunefile reads and writes. A newer one is refused, never overwritten. */
export const LOCKFILE_VERSION = 1;

/** `<pipeline>.lock.yaml`, validated against schemas/lockfile.schema.json. */
export interface Lockfile {
  version: typeof LOCKFILE_VERSION;
  /** The pipeline's name. */
  pipeline: string;
  /** Who did the remote work of the last run (never a secret). */
  provider?: ProviderIdentity;
  /** The -S overrides of the last run. */
  overrides?: Record<string, unknown>;
  stages: Partial<Record<StageName, StageRecord>>;
}

export function emptyLockfile(pipeline: string): Lockfile {
  return { version: LOCKFILE_VERSION, pipeline, stages: {} };
}
