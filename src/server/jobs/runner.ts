import type { Clock } from "../../core/clock.js";
import { nowSeconds } from "../time.js";
import type { JobError, JobRecord } from "../records.js";
import type { Store } from "../store.js";
import { baseSnapshotOf } from "../open-models.js";
import { addEvent, dropTrainingProgress, EventText, metricsData, metricsMessage } from "./events.js";
import { methodHyper, resolveHyper, withResolved } from "./hyperparameters.js";
import { type JobData, loadJobData } from "./job-data.js";
import { finishJob } from "./finish.js";
import type { LiveRun, StepResult } from "./training-handle.js";
import { workerTraining } from "./worker-training.js";

/** How many final epochs keep a checkpoint. */
const KEPT_CHECKPOINT_EPOCHS = 3;

/** Training runs in a worker thread so it never stalls the server's event loop (the runner's too, in-process). */
const startTraining = workerTraining();

export interface RunnerOptions {
  store: Store;
  clock: Clock;
  /** Minimum wall time per training step in ms (0: as fast as the trainer goes). */
  stepMs: number;
  /** Aborts when the server closes: loops stop where they are and the job resumes on the next start. */
  signal: AbortSignal;
}

/**
 * Drives each job through validating_files → queued → running → succeeded/failed, one loop per job. Route handlers
 * change `status` for cancel/pause/resume; the loop checks it between steps and stops.
 */
export class JobRunner {
  private readonly loops = new Map<string, Promise<void>>();
  private readonly live = new Map<string, LiveRun>();

  constructor(private readonly o: RunnerOptions) {}

  /**
   * Picks up jobs left unfinished by a previous process. A job that was running restarts its training from the first
   * step (the trainer is deterministic for the job's seed, so it produces the same model); none stays `running`.
   */
  async recover(): Promise<void> {
    for (const record of this.o.store.jobs.values()) {
      const status = record.job.status;
      if (status === "running" || status === "queued") {
        dropTrainingProgress(record);
        record.job.status = "queued";
        record.job.estimated_finish = null;
        await this.o.store.saveJob(record);
      }
      if (status === "validating_files" || status === "running" || status === "queued") this.kick(record.job.id);
    }
  }

  /** Starts the job's loop unless one is already running. */
  kick(jobId: string): void {
    if (this.loops.has(jobId)) return;
    const loop = this.drive(jobId).finally(() => {
      this.loops.delete(jobId);
      // A resume that arrived while this loop was still winding down after a pause needs a fresh loop.
      const status = this.o.store.jobs.get(jobId)?.job.status;
      if (!this.o.signal.aborted && (status === "queued" || status === "validating_files")) this.kick(jobId);
    });
    this.loops.set(jobId, loop);
  }

  /** Waits for every loop to stop (after the signal aborted), then frees the runs kept for paused jobs. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.loops.values()]);
    await Promise.allSettled([...this.live.values()].map((live) => live.run.close()));
    this.live.clear();
  }

  /** Forgets an in-memory run (cancel, or the job ended). */
  discard(jobId: string): void {
    const live = this.live.get(jobId);
    this.live.delete(jobId);
    // Terminating the worker rejects a step in flight; the loop then sees the job stopped.
    void live?.run.close();
  }

  private async drive(jobId: string): Promise<void> {
    const record = this.o.store.jobs.get(jobId);
    if (!record) return;
    try {
      await this.advance(record);
    } catch (error) {
      this.discard(jobId);
      if (this.o.signal.aborted) return;
      // A bug in the trainer or here: fail the job visibly rather than leave it running forever.
      await this.fail(record, {
        code: "internal_error",
        message: `The job failed due to an internal error in the local provider (please report): ${String(error)}`,
        param: null,
      });
    }
  }

  private async advance(record: JobRecord): Promise<void> {
    const { job } = record;
    const failOn = record.failOn;
    let data: JobData | undefined;
    if (job.status === "validating_files") {
      await this.yieldTick();
      if (failOn === "validation") {
        return this.fail(record, {
          code: "invalid_training_file",
          message: "The job failed due to an invalid training file. Failure requested (tunefile fail-on-purpose knob).",
          param: "training_file",
        });
      }
      data = await loadJobData(this.o.store, job);
      if (!data.ok) return this.fail(record, data.error);
      if (this.stopped(record)) return;
      job.status = "queued";
      addEvent(record, this.o.clock, EventText.validated);
      await this.o.store.saveJob(record);
    }
    if (job.status !== "queued") return;
    await this.yieldTick();
    if (this.stopped(record) || job.status !== "queued") return;

    let live = this.live.get(job.id);
    if (!live) {
      dropTrainingProgress(record);
      data ??= await loadJobData(this.o.store, job);
      if (!data.ok) return this.fail(record, data.error);
      const hyper = resolveHyper(methodHyper(job.method), data.train.length);
      job.hyperparameters = { ...hyper };
      job.method = withResolved(job.method, hyper);
      const run = await startTraining(
        data.train,
        data.validation,
        {
          baseModel: baseSnapshotOf(job.model),
          nEpochs: hyper.n_epochs,
          batchSize: hyper.batch_size,
          learningRateMultiplier: hyper.learning_rate_multiplier,
          seed: job.seed,
          ...(job.method.type === "dpo" ? { dpo: { beta: Number(job.method.dpo.hyperparameters.beta) } } : {}),
          // Continued fine-tuning of an `ft:` model starts from that model's parameters.
          initialModel: this.o.store.models.get(job.model)?.snapshot,
        },
        this.o.signal,
      );
      // Starting takes seconds on large data: the job may have been cancelled meanwhile.
      if (this.stopped(record) || job.status !== "queued") {
        await run.close();
        return;
      }
      live = { run, data, epochEnds: [] };
      this.live.set(job.id, live);
    }
    job.status = "running";
    job.estimated_finish =
      nowSeconds(this.o.clock) + Math.ceil(((live.run.totalSteps - live.run.stepsDone) * this.o.stepMs) / 1000);
    addEvent(record, this.o.clock, EventText.started);
    await this.o.store.saveJob(record);

    const outcome = await this.trainSteps(record, live);
    switch (outcome) {
      case "done": {
        const final = await live.run.snapshot();
        this.discard(job.id);
        await finishJob(record, live, final, this.o);
        return;
      }
      case "stopped":
        // Paused (the run stays in memory for resume) or cancelled (the cancel route discarded it).
        return;
      case "fail-requested":
        this.discard(job.id);
        return this.fail(record, {
          code: "internal_error",
          message: "The job failed during training. Failure requested (tunefile fail-on-purpose knob).",
          param: null,
        });
    }
  }

  /**
   * One trainer step per tick: each step's real batch metrics become a `metrics` event and a result-file row; the
   * model is snapshotted at the ends of the last epochs. Between steps the loop yields (and waits out `stepMs`), so
   * the server keeps answering and pause/cancel take effect at the next step.
   */
  private async trainSteps(record: JobRecord, live: LiveRun): Promise<"done" | "stopped" | "fail-requested"> {
    const { clock, signal, stepMs } = this.o;
    const { run } = live;
    const keepRunning = () => !this.stopped(record) && record.job.status === "running";
    const totalEpochs = Math.round(run.totalSteps / run.stepsPerEpoch);
    const firstKeptEpoch = Math.max(1, totalEpochs - KEPT_CHECKPOINT_EPOCHS + 1);
    const halfway = Math.ceil(run.totalSteps / 2);
    const loopStart = clock.now().getTime();
    // A step that finished after a pause was requested is recorded when the job resumes, so no metrics event ever
    // follows the pause.
    const parked = live.parked;
    live.parked = undefined;
    if (parked) this.recordStep(record, live, parked, firstKeptEpoch);
    const firstStep = run.stepsDone;
    while (run.stepsDone < run.totalSteps) {
      if (!keepRunning()) return "stopped";
      // `tunefile_fail=training`: stop with a failure halfway through.
      if (record.failOn === "training" && run.stepsDone >= halfway) return "fail-requested";
      const started = clock.now().getTime();
      const nextEpoch = (run.stepsDone + 1) / run.stepsPerEpoch;
      const result = await run.step(Number.isInteger(nextEpoch) && nextEpoch >= firstKeptEpoch);
      if (signal.aborted) throw signal.reason;
      if (!keepRunning()) {
        live.parked = result;
        return "stopped";
      }
      this.recordStep(record, live, result, firstKeptEpoch);
      const wait = stepMs - (clock.now().getTime() - started);
      if (wait > 0) await clock.sleep(wait, signal);
      else await new Promise<void>((resolve) => setImmediate(resolve));
      // The estimate follows the measured pace: remaining steps × average wall time per step so far.
      const now = clock.now().getTime();
      const perStep = (now - loopStart) / (run.stepsDone - firstStep);
      record.job.estimated_finish = Math.ceil((now + (run.totalSteps - run.stepsDone) * perStep) / 1000);
      if (signal.aborted) throw signal.reason;
    }
    return "done";
  }

  /** One step's real batch metrics become a `metrics` event and a result-file row; kept epoch ends keep the model. */
  private recordStep(record: JobRecord, live: LiveRun, { metrics: m, snapshot }: StepResult, firstKeptEpoch: number) {
    addEvent(record, this.o.clock, metricsMessage(m), { type: "metrics", data: metricsData(m) });
    record.results.push({
      step: m.step,
      train_loss: m.trainLoss,
      train_accuracy: m.trainMeanTokenAccuracy,
      ...(m.validLoss !== undefined ? { valid_loss: m.validLoss } : {}),
      ...(m.validMeanTokenAccuracy !== undefined ? { valid_mean_token_accuracy: m.validMeanTokenAccuracy } : {}),
    });
    const epoch = m.step / live.run.stepsPerEpoch;
    if (snapshot && Number.isInteger(epoch) && epoch >= firstKeptEpoch) {
      live.epochEnds.push({ step: m.step, metrics: m, snapshot });
    }
  }

  private stopped(record: JobRecord): boolean {
    return this.o.signal.aborted || record.job.status === "cancelled" || record.job.status === "paused";
  }

  private async fail(record: JobRecord, error: JobError): Promise<void> {
    // A cancel that landed while validation or a step was in progress wins.
    if (record.job.status === "cancelled") return;
    record.job.status = "failed";
    record.job.error = error;
    record.job.estimated_finish = null;
    // Real jobs that fail in validation report finished_at null; later failures have a time.
    record.job.finished_at = record.events.some((e) => e.message === EventText.started)
      ? nowSeconds(this.o.clock)
      : null;
    addEvent(record, this.o.clock, error.message, { level: "error" });
    await this.o.store.saveJob(record);
  }

  /** Lets a freshly created job be observed in its current state before it moves on. */
  private async yieldTick(): Promise<void> {
    await this.o.clock.sleep(Math.max(1, this.o.stepMs), this.o.signal);
  }
}
