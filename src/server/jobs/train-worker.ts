import type { MessagePort } from "node:worker_threads";
import { startTraining } from "../trainer/index.js";
import type { TrainingRun } from "../trainer/types.js";
import type { TrainWorkerReply, TrainWorkerRequest } from "./training-handle.js";

/**
 * The worker-thread side of worker-training.ts, a pool task: one training run from "start" until the runner aborts
 * the task. Each request gets exactly one reply, in order, from the same trainer the main thread would call.
 */
export default function session({ port }: { port: MessagePort }): Promise<void> {
  let run: TrainingRun | undefined;
  const started = (): TrainingRun => {
    if (!run) throw new Error("internal error, please report: training worker got a request before start");
    return run;
  };
  const answer = (request: TrainWorkerRequest): TrainWorkerReply => {
    switch (request.kind) {
      case "start":
        run = startTraining(request.train, request.validation, request.config);
        return { kind: "started", totalSteps: run.totalSteps, stepsPerEpoch: run.stepsPerEpoch };
      case "step": {
        const metrics = started().step();
        return { kind: "stepped", metrics, snapshot: request.withSnapshot ? started().snapshot() : undefined };
      }
      case "snapshot":
        return { kind: "snapshot", snapshot: started().snapshot() };
    }
  };
  return new Promise((resolve) => {
    port.on("message", (request: TrainWorkerRequest) => {
      let reply: TrainWorkerReply;
      try {
        reply = answer(request);
      } catch (error) {
        reply = { kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      port.postMessage(reply);
    });
    port.once("close", () => resolve());
  });
}
