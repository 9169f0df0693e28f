import type { Lockfile } from "../../core/lockfile.generated.js";

/** The lockfile format this tunefile reads and writes. A newer one is refused, never overwritten. */
export const LOCKFILE_VERSION = 1;

/** `<pipeline>.lock.yaml`, validated against schemas/lockfile.schema.json; its types are generated from it. */
export type { Lockfile } from "../../core/lockfile.generated.js";

export function emptyLockfile(pipeline: string): Lockfile {
  return { version: LOCKFILE_VERSION, pipeline, stages: {} };
}
