import { startWorker } from "../../core/worker-script.js";
import type { Worker } from "node:worker_threads";
import type { ModelSnapshot } from "../trainer/types.js";
import type { TrainWorkerReply, TrainWorkerRequest } from "./train-worker-protocol.js";
import type { StartTraining, StepResult, TrainingHandle } from "./training-handle.js";

/**
 * Starts each training run in its own worker thread, so tokenizing the data and every step run beside the server's
 * event loop (and the runner's, when the server is in-process).
 */
export function workerTraining(): StartTraining {
  return async (train, validation, config, signal) => {
    const worker = new WorkerChannel(startWorker("train-worker", import.meta.url));
    const abort = () => void worker.close();
    signal.addEventListener("abort", abort, { once: true });
    try {
      const reply = await worker.request({ kind: "start", train, validation, config });
      if (reply.kind !== "started") throw unexpected(reply);
      return new WorkerRun(worker, reply.totalSteps, reply.stepsPerEpoch, reply.tokensPerEpoch);
    } catch (error) {
      await worker.close();
      throw error;
    } finally {
      signal.removeEventListener("abort", abort);
    }
  };
}

class WorkerRun implements TrainingHandle {
  stepsDone = 0;

  constructor(
    private readonly worker: WorkerChannel,
    readonly totalSteps: number,
    readonly stepsPerEpoch: number,
    readonly tokensPerEpoch: number,
  ) {}

  async step(withSnapshot: boolean): Promise<StepResult> {
    const reply = await this.worker.request({ kind: "step", withSnapshot });
    if (reply.kind !== "stepped") throw unexpected(reply);
    this.stepsDone++;
    return reply.snapshot ? { metrics: reply.metrics, snapshot: reply.snapshot } : { metrics: reply.metrics };
  }

  async snapshot(): Promise<ModelSnapshot> {
    const reply = await this.worker.request({ kind: "snapshot" });
    if (reply.kind !== "snapshot") throw unexpected(reply);
    return reply.snapshot;
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

/**
 * Request/reply over one worker, in order. The worker is unreferenced while no request is pending, so a paused
 * job's idle worker never keeps the process alive; closing it rejects whatever is pending.
 */
class WorkerChannel {
  private pending: { resolve: (r: TrainWorkerReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on("message", (reply: TrainWorkerReply) => this.settle((p) => p.resolve(reply)));
    worker.on("error", (error) => this.stop(error));
    worker.on("exit", (code) => this.stop(new Error(`training worker exited (code ${code})`)));
  }

  request(message: TrainWorkerRequest): Promise<TrainWorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error("internal error, please report: overlapping worker requests"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.stop(new Error("training worker closed"));
    await this.worker.terminate();
  }

  private stop(error: Error): void {
    this.failure ??= error;
    this.settle((p) => p.reject(error));
  }

  private settle(action: (p: NonNullable<WorkerChannel["pending"]>) => void): void {
    const p = this.pending;
    this.pending = undefined;
    this.worker.unref();
    if (p) action(p);
  }
}

function unexpected(reply: TrainWorkerReply): Error {
  return new Error(
    reply.kind === "error" ? reply.message : `internal error, please report: worker replied ${reply.kind}`,
  );
}
