import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Provider, ProviderIdentity } from "../providers/provider.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import type { RunEvent } from "./events.js";
import type { LockfileStore } from "./lockfile/store.js";
import type { RunOptions, StageContext, StageName, StageRecord } from "./stage.js";

/** The provider as the engine sees it before connecting: who it is, and how to connect. */
export interface ProviderHandle {
  identity: ProviderIdentity;
  connect(): Promise<Provider>;
}

/**
 * Connects on first use and only once, however many stages ask; `close` releases it at the end of the run if it was
 * ever opened. A run whose stages are all fresh never connects (beyond what verifyFresh asks for).
 */
export class LazyProvider {
  private connecting: Promise<Provider> | undefined;

  constructor(private readonly handle: ProviderHandle | undefined) {}

  get(): Promise<Provider> {
    if (!this.handle) return Promise.reject(new Error("no provider was resolved for this run"));
    this.connecting ??= this.handle.connect();
    return this.connecting;
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    if (!pending) return;
    const provider = await pending.catch(() => undefined);
    await provider?.close();
  }
}

export interface ContextInput {
  stage: StageName;
  pipeline: LoadedPipeline;
  env: Env;
  clock: Clock;
  signal: AbortSignal;
  options: RunOptions;
  provider: LazyProvider;
  store: LockfileStore;
  fingerprint: string;
  upstream: Partial<Record<StageName, StageRecord>>;
  previous: StageRecord | undefined;
  emit(event: RunEvent): void;
}

export function buildContext(input: ContextInput): StageContext {
  const { stage, store } = input;
  return {
    stage,
    pipeline: input.pipeline,
    env: input.env,
    clock: input.clock,
    signal: input.signal,
    options: input.options,
    provider: () => input.provider.get(),
    fingerprint: input.fingerprint,
    upstream: input.upstream,
    previous: input.previous,
    emit: input.emit,
    async saveCheckpoint(patch) {
      const current = store.record(stage);
      if (!current) throw new Error(`saveCheckpoint: stage ${stage} has no record (the engine writes it before run)`);
      await store.putStage(stage, { ...current, checkpoint: { ...current.checkpoint, ...patch } });
    },
  };
}
