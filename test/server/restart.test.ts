import { StateDirInUseError } from "../../src/core/state-dir-lock.js";
import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { allEvents, ELLE_TRAIN, startTestServer, uploadFile, waitForJob } from "./server-fixture.js";

describe("local provider: persistence across restarts", () => {
  it("restarts a job that was running when the server stopped, and trains the same model as an uninterrupted run", async () => {
    const first = await startTestServer({ stepMs: 20 });
    const file = await uploadFile(first.client, ELLE_TRAIN);
    const created = await first.client.fineTuning.jobs.create({
      model: "gpt-4o-mini",
      training_file: file.id,
      seed: 7,
      hyperparameters: { n_epochs: 3 },
      suffix: "restart",
    });
    await waitForJob(first.client, created.id, new Set(["running"]));
    await waitFor(
      async () => (await first.client.fineTuning.jobs.listEvents(created.id, { limit: 1 })).data[0]?.type === "metrics",
      { what: `the first training step of job ${created.id}`, timeoutMs: 30_000 },
    );
    await first.close();

    const second = await startTestServer({ stateDir: first.stateDir });
    try {
      const { client } = second;
      expect((await client.files.retrieve(file.id)).bytes).toBe(file.bytes);
      const job = await waitForJob(client, created.id);
      expect(job.status).toBe("succeeded");
      const events = await allEvents(client, job.id);
      const steps = events.filter((e) => e.type === "metrics");
      expect(steps.map((e) => (e.data as { step: number }).step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(events.filter((e) => e.message === "Fine-tuning job started")).toHaveLength(1);

      // Same seed, same data, uninterrupted: the same losses and the same answers.
      const again = await waitForJob(
        client,
        (
          await client.fineTuning.jobs.create({
            model: "gpt-4o-mini",
            training_file: file.id,
            seed: 7,
            hyperparameters: { n_epochs: 3 },
          })
        ).id,
      );
      const againSteps = (await allEvents(client, again.id)).filter((e) => e.type === "metrics");
      expect(againSteps.map((e) => e.data)).toEqual(steps.map((e) => e.data));
      const ask = async (model: string) =>
        (
          await client.chat.completions.create({
            model,
            messages: [{ role: "user", content: "Tell me about Zinc" }],
            temperature: 0,
            max_tokens: 60,
          })
        ).choices[0]?.message.content;
      expect(await ask(job.fine_tuned_model ?? "")).toBe(await ask(again.fine_tuned_model ?? ""));
    } finally {
      await second.close();
    }
  });

  it("keeps succeeded jobs, their models and result files across a restart", async () => {
    const first = await startTestServer();
    const file = await uploadFile(first.client, ELLE_TRAIN);
    const job = await waitForJob(
      first.client,
      (
        await first.client.fineTuning.jobs.create({
          model: "gpt-3.5-turbo",
          training_file: file.id,
          hyperparameters: { n_epochs: 2 },
        })
      ).id,
    );
    const answerBefore = await first.client.chat.completions.create({
      model: job.fine_tuned_model ?? "",
      messages: [{ role: "user", content: "Tell me about Gold" }],
      temperature: 0,
    });
    await first.close();
    const second = await startTestServer({ stateDir: first.stateDir });
    try {
      const { client } = second;
      expect(await client.fineTuning.jobs.retrieve(job.id)).toEqual(job);
      expect((await client.fineTuning.jobs.checkpoints.list(job.id)).data).toHaveLength(2);
      expect((await client.models.retrieve(job.fine_tuned_model ?? "")).id).toBe(job.fine_tuned_model);
      const answerAfter = await client.chat.completions.create({
        model: job.fine_tuned_model ?? "",
        messages: [{ role: "user", content: "Tell me about Gold" }],
        temperature: 0,
      });
      expect(answerAfter.choices[0]?.message.content).toBe(answerBefore.choices[0]?.message.content);
      const csv = Buffer.from(
        await (await client.files.content(job.result_files[0] ?? "")).text(),
        "base64",
      ).toString();
      expect(csv.trim().split("\n")).toHaveLength(21);
    } finally {
      await second.close();
    }
  });
});

describe("local provider: one server per state directory", () => {
  it("refuses a second live server on the same state, and frees the state on close", async () => {
    const first = await startTestServer();
    await expect(startTestServer({ stateDir: first.stateDir })).rejects.toBeInstanceOf(StateDirInUseError);
    await first.close();
    const second = await startTestServer({ stateDir: first.stateDir });
    await second.close();
  });
});
