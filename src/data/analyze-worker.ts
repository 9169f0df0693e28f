import { parentPort, workerData } from "node:worker_threads";
import { type AnalyzeWorkerInput, analyzeToFiles } from "./analyze-to-files.js";

// The worker side of analyzeIsolated: the same analysis, on one thread whose heap is capped.
const input = workerData as AnalyzeWorkerInput;
parentPort?.postMessage(await analyzeToFiles(input.pipeline, input.options));
