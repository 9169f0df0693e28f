import type { Clock } from "../../core/clock.js";
import { nowSeconds } from "../time.js";
import { newId, ORGANIZATION } from "../ids.js";
import type { CheckpointObject, JobRecord, ModelRecord, ResultRow } from "../records.js";
import type { Store } from "../store.js";
import { addEvent, EventText, metricsData } from "./events.js";
import { baseSnapshotOf } from "../open-models.js";
import type { LiveRun } from "./training-handle.js";

/** Completes a trained job as the service does: checkpoints, the fine-tuned model, the result file, the events. */
export async function finishJob(
  record: JobRecord,
  live: LiveRun,
  finalModel: ModelRecord["snapshot"],
  o: { store: Store; clock: Clock },
): Promise<void> {
  const { job } = record;
  const now = nowSeconds(o.clock);
  const prefix = `ft:${baseSnapshotOf(job.model)}:${ORGANIZATION}:${job.user_provided_suffix ?? ""}`;
  const fineTuned = `${prefix}:${newId.modelTag()}`;
  const saveModel = (id: string, snapshot: ModelRecord["snapshot"], kind: ModelRecord["kind"]) =>
    o.store.saveModel({
      model: { id, object: "model", created: now, owned_by: `org-${ORGANIZATION}` },
      snapshot,
      jobId: job.id,
      kind,
    });

  record.checkpoints = [];
  for (const end of live.epochEnds) {
    // Each checkpoint carries its own random id segment, like real `…:9uJPavMj:ckpt-step-200` names.
    const name = `${prefix}:${newId.modelTag()}:ckpt-step-${end.step}`;
    // Its step's event data, without the run-wide and DPO-only keys.
    const { total_steps, train_reward_accuracy, train_reward_margin, ...metrics } = metricsData(end.metrics);
    const checkpoint: CheckpointObject = {
      id: newId.checkpoint(),
      object: "fine_tuning.job.checkpoint",
      created_at: now,
      fine_tuned_model_checkpoint: name,
      fine_tuning_job_id: job.id,
      step_number: end.step,
      metrics,
    };
    record.checkpoints.push(checkpoint);
    await saveModel(name, end.snapshot, "checkpoint");
    addEvent(record, o.clock, EventText.checkpoint(end.step, name));
  }

  await saveModel(fineTuned, finalModel, "fine-tuned");
  addEvent(record, o.clock, EventText.modelCreated(fineTuned));

  const resultFile = await o.store.addFile(
    "step_metrics.csv",
    "fine-tune-results",
    now,
    resultsFileBytes(record.results),
  );

  job.status = "succeeded";
  job.fine_tuned_model = fineTuned;
  job.finished_at = now;
  job.estimated_finish = null;
  job.result_files = [resultFile.id];
  job.trained_tokens =
    job.hyperparameters.n_epochs === "auto" ? null : job.hyperparameters.n_epochs * live.data.billingTokensPerEpoch;
  addEvent(record, o.clock, EventText.succeeded);
  await o.store.saveJob(record);
}

/**
 * The `fine-tune-results` file: a CSV with the documented columns, empty cells on steps without validation, five
 * decimals like the real files (`1,1.52347,0.0,,`), stored base64-encoded as the real service does.
 */
function resultsFileBytes(rows: readonly ResultRow[]): Buffer {
  const cell = (v: number | undefined) => (v === undefined ? "" : String(Math.round(v * 1e5) / 1e5));
  const lines = rows.map((r) =>
    [r.step, cell(r.train_loss), cell(r.train_accuracy), cell(r.valid_loss), cell(r.valid_mean_token_accuracy)].join(
      ",",
    ),
  );
  const csv = `${["step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy", ...lines].join("\n")}\n`;
  return Buffer.from(Buffer.from(csv, "utf8").toString("base64"), "utf8");
}
