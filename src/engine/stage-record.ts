// Stage names and the lockfile record of a stage: a leaf, so that events, the lockfile and the stage contract can
// all use them without importing one another.

/** Stages in execution order. Upstream always comes first. */
export const STAGE_NAMES = ["prepare", "upload", "train", "evaluate", "deploy"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

import type { StageRecord } from "../core/lockfile.generated.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";

/** One stage's entry in the lockfile; generated from schemas/lockfile.schema.json. */
export type { StageRecord } from "../core/lockfile.generated.js";

export type StageStatus = StageRecord["status"];

/** tunefile's own stage error codes, kebab-case like the diagnostic codes. */
export type OwnErrorCode =
  | "internal"
  | "interrupted"
  | "cancelled"
  | "retries-exhausted"
  | "local-state-in-use"
  | "job-failed"
  | "no-fine-tuned-model"
  | "invalid-data"
  | "no-prepared-data"
  | "no-uploaded-data"
  | "gate-not-met"
  | "held-by-budget"
  | "provider-closed"
  | "deploy-no-model"
  | "deploy-azure-settings"
  | "azure-token-missing"
  | "azure-request-failed"
  | "azure-deployment-failed"
  | "azure-deployment-timeout"
  | "azure-deployment-missing"
  /** An HTTP failure whose body named no code. */
  | `http-${number}`;

/**
 * A code the provider sent (e.g. `invalid_n_examples`), kept as the provider spells it so that its documentation
 * finds it. Only `providerCode()` in src/providers/errors.ts makes one.
 */
export type ProviderErrorCode = string & { readonly __providerCode: true };

/** A failure recorded in the lockfile: the provider's code and message, or ours. Never a secret. */
export interface StageError extends NonNullable<StageRecord["error"]> {
  /** Ours, a diagnostic's (a stage stopped by invalid input), or the provider's. */
  code: OwnErrorCode | DiagnosticCode | ProviderErrorCode;
}
