import { describe, expect, it } from "vitest";
import { allEvents, ELLE_TRAIN, ELLE_VALID, startTestServer, uploadFile, waitForJob } from "./server-fixture.js";

describe("local provider: the whole fine-tuning flow through the openai SDK", () => {
  it("uploads Elle, trains, reports events, checkpoints and results, and chats with the fine-tuned model", async () => {
    const server = await startTestServer();
    try {
      const { client } = server;
      const training = await uploadFile(client, ELLE_TRAIN);
      expect(training).toMatchObject({
        object: "file",
        purpose: "fine-tune",
        filename: "training-data.jsonl",
        status: "processed",
      });
      expect(training.id).toMatch(/^file-[A-Za-z0-9]{22}$/);
      const validation = await uploadFile(client, ELLE_VALID);

      const created = await client.fineTuning.jobs.create({
        model: "gpt-3.5-turbo",
        training_file: training.id,
        validation_file: validation.id,
        suffix: "elle",
        seed: 42,
      });
      expect(created.id).toMatch(/^ftjob-[A-Za-z0-9]{24}$/);
      expect(created.status).toBe("validating_files");
      expect(created.model).toBe("gpt-3.5-turbo-0125");
      expect(created.hyperparameters).toEqual({
        n_epochs: "auto",
        batch_size: "auto",
        learning_rate_multiplier: "auto",
      });

      const job = await waitForJob(client, created.id);
      expect(job.status).toBe("succeeded");
      expect(job.fine_tuned_model).toMatch(/^ft:gpt-3\.5-turbo-0125:local:elle:[A-Za-z0-9]{8}$/);
      // 10 examples: the cookbook heuristic gives min(25, floor(100/10)) = 10 epochs, batch size max(1, round(0.02)) = 1.
      expect(job.hyperparameters).toEqual({ n_epochs: 10, batch_size: 1, learning_rate_multiplier: 2 });
      expect(job.method).toEqual({
        type: "supervised",
        supervised: { hyperparameters: { n_epochs: 10, batch_size: 1, learning_rate_multiplier: 2 } },
      });
      expect(job.trained_tokens).toBeGreaterThan(0);
      expect((job.trained_tokens ?? 0) % 10).toBe(0);
      expect(job.result_files).toHaveLength(1);
      expect(job.finished_at).not.toBeNull();
      expect(job.error).toBeNull();

      const events = await allEvents(client, job.id);
      const messages = events.map((e) => e.message);
      const steps = events.filter((e) => e.type === "metrics");
      expect(steps).toHaveLength(100);
      expect(steps[0]?.message).toMatch(/^Step 1\/100: training loss=\d+\.\d\d, validation loss=\d+\.\d\d/);
      expect(steps[0]?.data).toMatchObject({ step: 1, total_steps: 100 });
      const checkpoints = (await client.fineTuning.jobs.checkpoints.list(job.id)).data;
      expect(checkpoints.map((c) => c.step_number)).toEqual([100, 90, 80]);
      const nonMetrics = messages.filter((_m, i) => events[i]?.type !== "metrics");
      expect(nonMetrics).toEqual([
        `Created fine-tuning job: ${job.id}`,
        `Validating training file: ${training.id} and validation file: ${validation.id}`,
        "Files validated, moving job to queued state",
        "Fine-tuning job started",
        ...[...checkpoints]
          .reverse()
          .map((c) => `Checkpoint created at step ${c.step_number} with Snapshot ID: ${c.fine_tuned_model_checkpoint}`),
        `New fine-tuned model created: ${job.fine_tuned_model}`,
        "The job has successfully completed",
      ]);
      for (const c of checkpoints) {
        expect(c.fine_tuned_model_checkpoint).toMatch(
          new RegExp(`^ft:gpt-3\\.5-turbo-0125:local:elle:[A-Za-z0-9]{8}:ckpt-step-${c.step_number}$`),
        );
        expect(c.id).toMatch(/^ftckpt_/);
      }

      const resultFile = await client.files.retrieve(job.result_files[0] ?? "");
      expect(resultFile.purpose).toBe("fine-tune-results");
      const csv = Buffer.from(await (await client.files.content(resultFile.id)).text(), "base64").toString("utf8");
      const lines = csv.trim().split("\n");
      expect(lines[0]).toBe("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");
      expect(lines).toHaveLength(101);
      // Every CSV loss is the loss the step's metrics event reported.
      const firstRow = lines[1]?.split(",") ?? [];
      expect(Number(firstRow[1])).toBeCloseTo(
        Number(steps[0]?.data && (steps[0].data as { train_loss: number }).train_loss),
        4,
      );

      const models = (await client.models.list()).data.map((m) => m.id);
      expect(models).toContain(job.fine_tuned_model);
      expect(models).toContain(checkpoints[0]?.fine_tuned_model_checkpoint);
      expect(models).toContain("gpt-3.5-turbo-0125");

      const ask = (model: string) =>
        client.chat.completions.create({
          model,
          messages: [{ role: "user", content: "Tell me about Strontium" }],
          temperature: 0,
          max_completion_tokens: 120,
        });
      const tuned = await ask(job.fine_tuned_model ?? "");
      expect(tuned.id).toMatch(/^chatcmpl-/);
      expect(tuned.model).toBe(job.fine_tuned_model);
      const answer = tuned.choices[0]?.message.content ?? "";
      expect(answer.split(" - ").length).toBeGreaterThanOrEqual(3);
      expect(tuned.usage?.completion_tokens).toBeGreaterThan(0);
      expect(tuned.usage?.total_tokens).toBe((tuned.usage?.prompt_tokens ?? 0) + (tuned.usage?.completion_tokens ?? 0));

      const fromCheckpoint = await ask(checkpoints[1]?.fine_tuned_model_checkpoint ?? "");
      expect(fromCheckpoint.choices[0]?.message.content).not.toBe("");
      const base = await ask("gpt-3.5-turbo");
      expect(base.model).toBe("gpt-3.5-turbo-0125");
      expect(base.choices[0]?.message.content).not.toBe(answer);
    } finally {
      await server.close();
    }
  });
});
