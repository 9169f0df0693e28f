import type OpenAI from "openai";

export type ProviderKindName = "openai" | "azure" | "openai-compatible" | "local";

/** Recorded in the lockfile: which service did the work. Never holds a secret. */
export interface ProviderIdentity {
  kind: ProviderKindName;
  base_url: string;
}

/** A connected provider: an `openai` SDK client plus what differs between services. */
export interface Provider {
  identity: ProviderIdentity;
  /** SDK client with its own retries off (maxRetries: 0): src/core/retry.ts is the one owner of retries. */
  client: OpenAI;
  /** Whether a fine-tuned model must be deployed before it serves completions (Azure). */
  requiresDeployment: boolean;
  /** Release resources (the in-process local server stops here). */
  close(): Promise<void>;
}
