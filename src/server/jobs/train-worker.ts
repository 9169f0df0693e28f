/**
 * The worker-thread side of worker-training.ts: owns one training run and answers the job runner's requests in
 * order. It calls the same trainer as the main thread would, so metrics and models are identical for a seed.
 */
import { parentPort } from "node:worker_threads";
import { startTraining } from "../trainer/index.js";
import type { TrainingRun } from "../trainer/types.js";
import type { TrainWorkerReply, TrainWorkerRequest } from "./train-worker-protocol.js";

let run: TrainingRun | undefined;

function answer(request: TrainWorkerRequest): TrainWorkerReply {
  switch (request.kind) {
    case "start":
      run = startTraining(request.train, request.validation, request.config);
      return {
        kind: "started",
        totalSteps: run.totalSteps,
        stepsPerEpoch: run.stepsPerEpoch,
        tokensPerEpoch: run.tokensPerEpoch,
      };
    case "step": {
      const metrics = started().step();
      return { kind: "stepped", metrics, snapshot: request.withSnapshot ? started().snapshot() : undefined };
    }
    case "snapshot":
      return { kind: "snapshot", snapshot: started().snapshot() };
  }
}

function started(): TrainingRun {
  if (!run) throw new Error("internal error, please report: training worker got a request before start");
  return run;
}

parentPort?.on("message", (request: TrainWorkerRequest) => {
  let reply: TrainWorkerReply;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
