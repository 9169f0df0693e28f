import type OpenAI from "openai";
import type { Lockfile } from "../core/lockfile.generated.js";
import type { FileApi } from "./files.js";
import type { TrainingApi } from "./training/api.js";

/** Recorded in the lockfile: which service did the work. Never holds a secret. */
export type ProviderIdentity = NonNullable<Lockfile["provider"]>;

export type ProviderKindName = ProviderIdentity["kind"];

/** Whether a record made on `recorded` applies to `current`: the same kind at the same base URL. */
export function sameProvider(recorded: ProviderIdentity | undefined, current: ProviderIdentity): boolean {
  return recorded?.kind === current.kind && recorded.base_url === current.base_url;
}

/** A connected provider: an `openai` SDK client plus what differs between services. */
export interface Provider {
  identity: ProviderIdentity;
  /** SDK client with its own retries off (maxRetries: 0): src/core/retry.ts is the one owner of retries. */
  client: OpenAI;
  /** The provider's file storage, for training data. */
  files: FileApi;
  /** The provider's fine-tuning jobs, through the remote-job owner. */
  training: TrainingApi;
  /**
   * The name a request gives for `model` (Azure's `provider.deployments`: a model is asked through the deployment
   * serving it). Elsewhere the model's own name.
   */
  deploymentOf(model: string): string;
  /** Release resources (the in-process local server stops here). */
  close(): Promise<void>;
}
