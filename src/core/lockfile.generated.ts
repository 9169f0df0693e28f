/* Generated from schemas/lockfile.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * tunefile's record of a pipeline's stages (<pipeline>.lock.yaml beside the pipeline). Written by tunefile, meant to be committed; edit by hand only to remove a stage's record.
 */
export interface Lockfile {
  /**
   * Lockfile format version. Only 1 exists.
   */
  version: 1;
  /**
   * The pipeline's name.
   */
  pipeline: string;
  /**
   * The project root, where .tunefile/, reports/ and deployments/ live, relative to this file's directory with / separators. Recorded by the first run; every later command uses it, whatever directory it runs in, so that fingerprints (which name files relative to the root) do not depend on where a command is started.
   */
  root?: string;
  /**
   * The provider that did the remote work of the last run. Never a secret.
   */
  provider?: {
    /**
     * Provider kind.
     */
    kind: "openai" | "azure" | "openai-compatible" | "local" | "together" | "nebius";
    /**
     * API base URL.
     */
    base_url: string;
  };
  /**
   * The -S key=value overrides of the last run, by dotted key.
   */
  overrides?: {
    [k: string]: unknown;
  };
  /**
   * One record per stage that has run.
   */
  stages: {
    prepare?: StageRecord;
    upload?: StageRecord;
    train?: StageRecord;
    evaluate?: StageRecord;
    deploy?: StageRecord;
  };
}
/**
 * One stage's state. Fresh only when status is succeeded and the fingerprint matches.
 *
 * This interface was referenced by `Lockfile`'s JSON-Schema
 * via the `definition` "StageRecord".
 */
export interface StageRecord {
  /**
   * sha256 of the canonical JSON of the stage's config, version, input hashes and upstream fingerprints.
   */
  fingerprint: string;
  /**
   * Short hash per fingerprint component, so that plan can name what changed.
   */
  fingerprint_parts?: {
    [k: string]: string;
  };
  /**
   * pending, running (possibly with remote work in flight), succeeded, failed or cancelled.
   */
  status: "pending" | "running" | "succeeded" | "failed" | "cancelled";
  /**
   * How many times the stage has started.
   */
  attempts: number;
  /**
   * When the last attempt started (ISO 8601).
   */
  started_at?: string;
  /**
   * When the last attempt ended (ISO 8601).
   */
  finished_at?: string;
  /**
   * Remote ids known so far, written the instant they are known.
   */
  checkpoint?: {
    [k: string]: unknown;
  };
  /**
   * The stage's results.
   */
  outputs?: {
    [k: string]: unknown;
  };
  /**
   * Why the last attempt failed or was cancelled.
   */
  error?: {
    /**
     * The provider's error code, or tunefile's.
     */
    code: string;
    /**
     * The provider's message, or tunefile's.
     */
    message: string;
  };
}
