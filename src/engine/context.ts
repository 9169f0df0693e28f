import type { Provider, ProviderIdentity } from "../providers/provider.js";
import type { LockfileStore } from "./lockfile/store.js";
import type { StageContext } from "./stage.js";

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

/** The stage's context: what the executor knows of this stage, the lazily connected provider, and checkpoints. */
export function buildContext(
  base: Omit<StageContext, "provider" | "saveCheckpoint">,
  provider: LazyProvider,
  store: LockfileStore,
): StageContext {
  const { stage } = base;
  return {
    ...base,
    provider: () => provider.get(),
    async saveCheckpoint(patch) {
      const current = store.record(stage);
      if (!current) throw new Error(`saveCheckpoint: stage ${stage} has no record (the engine writes it before run)`);
      await store.putStage(stage, { ...current, checkpoint: { ...current.checkpoint, ...patch } });
    },
  };
}
