import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { Piscina } from "piscina";
import { startPool } from "../../core/worker-pool.js";
import type { StartTraining, TrainWorkerReply, TrainWorkerRequest } from "./training-handle.js";

/**
 * Starts each training run on a thread of the training pool, beside the server's event loop: one pool task that
 * holds its thread for the run's life and answers requests over a MessagePort.
 */
export function workerTraining(): StartTraining {
  return async (train, validation, config, signal) => {
    const worker = new TrainingSession(await trainingPool());
    const abort = () => void worker.close();
    signal.addEventListener("abort", abort, { once: true });
    // The signal may have fired while the pool was loading.
    if (signal.aborted) abort();
    try {
      const reply = await worker.request({ kind: "start", train, validation, config });
      if (reply.kind !== "started") throw unexpected(reply);
      const { totalSteps, stepsPerEpoch } = reply;
      let stepsDone = 0;
      return {
        totalSteps,
        stepsPerEpoch,
        get stepsDone() {
          return stepsDone;
        },
        async step(withSnapshot) {
          const stepped = await worker.request({ kind: "step", withSnapshot });
          if (stepped.kind !== "stepped") throw unexpected(stepped);
          stepsDone++;
          const { metrics, snapshot } = stepped;
          return snapshot ? { metrics, snapshot } : { metrics };
        },
        async snapshot() {
          const last = await worker.request({ kind: "snapshot" });
          if (last.kind !== "snapshot") throw unexpected(last);
          return last.snapshot;
        },
        close: () => worker.close(),
      };
    } catch (error) {
      await worker.close();
      throw error;
    } finally {
      signal.removeEventListener("abort", abort);
    }
  };
}

let pool: Promise<Piscina> | undefined;

/**
 * One pool per process for every job's run. Each run holds a thread until it is closed, and the server runs its
 * jobs at once, so the pool starts threads as runs need them (up to 64) and keeps none idle.
 */
function trainingPool(): Promise<Piscina> {
  pool ??= startPool("train-worker", import.meta.url, { threads: 64, minThreads: 0 });
  return pool;
}

/**
 * Request/reply with one run, in order, over a MessagePort. The port is unreferenced while no request is pending;
 * closing aborts the task, which ends its thread and rejects whatever is pending.
 */
class TrainingSession {
  private pending: { resolve: (r: TrainWorkerReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly port: MessagePort;
  private readonly abort = new AbortController();
  private readonly task: Promise<unknown>;

  constructor(pool: Piscina) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.on("message", (reply: TrainWorkerReply) => this.settle((p) => p.resolve(reply)));
    this.port.unref();
    this.task = pool.run({ port: port2 }, { transferList: [port2], signal: this.abort.signal });
    this.task.then(
      () => this.stop(new Error("training worker ended")),
      (error: Error) => this.stop(this.abort.signal.aborted ? CLOSED : error),
    );
  }

  request(message: TrainWorkerRequest): Promise<TrainWorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error("internal error, please report: overlapping worker requests"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.port.ref();
      this.port.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.stop(CLOSED);
    this.abort.abort();
    await this.task.catch(() => undefined);
    this.port.close();
  }

  private stop(error: Error): void {
    this.failure ??= error;
    this.settle((p) => p.reject(error));
  }

  private settle(action: (p: NonNullable<TrainingSession["pending"]>) => void): void {
    const p = this.pending;
    this.pending = undefined;
    this.port.unref();
    if (p) action(p);
  }
}

const CLOSED = new Error("training worker closed");

function unexpected(reply: TrainWorkerReply): Error {
  return new Error(
    reply.kind === "error" ? reply.message : `internal error, please report: worker replied ${reply.kind}`,
  );
}
