import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { allEvents, ELLE_TRAIN, startTestServer, uploadFile, waitForJob } from "../server-fixture.js";

// The server trains every job in a worker thread (from the sources, the .ts worker through tsx, as from the build).

async function metricsOf(client: OpenAI, id: string) {
  return (await allEvents(client, id)).filter((e) => e.type === "metrics").map((e) => e.data);
}

describe("the server, training in worker threads", () => {
  it("pauses with no step recorded while paused, resumes, and matches an uninterrupted run on another server", async () => {
    const server = await startTestServer({ stepMs: 15 });
    const reference = await startTestServer();
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const params = { model: "gpt-4o-mini", training_file: file.id, seed: 5, hyperparameters: { n_epochs: 4 } };
      const job = await client.fineTuning.jobs.create(params);
      await waitForJob(client, job.id, new Set(["running"]));
      expect((await client.fineTuning.jobs.pause(job.id)).status).toBe("paused");
      const atPause = (await metricsOf(client, job.id)).length;
      expect(atPause).toBeLessThan(40);
      // While it is paused, a second job trains to the end on the same server: ten steps of at least stepMs each, far
      // longer than the one step that may have been in flight at the pause. Its end is the event to wait for.
      const other = await client.fineTuning.jobs.create({ ...params, hyperparameters: { n_epochs: 1 } });
      expect((await waitForJob(client, other.id)).status).toBe("succeeded");
      expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe("paused");
      expect((await metricsOf(client, job.id)).length).toBe(atPause);
      await client.fineTuning.jobs.resume(job.id);
      const done = await waitForJob(client, job.id);
      expect(done.status).toBe("succeeded");
      const metrics = await metricsOf(client, job.id);
      expect(metrics.map((m) => (m as { step: number }).step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const checkpoints = await client.fineTuning.jobs.checkpoints.list(job.id);
      expect(checkpoints.data.map((c) => c.step_number).sort((a, b) => a - b)).toEqual([20, 30, 40]);

      const refFile = await uploadFile(reference.client, ELLE_TRAIN);
      const refJob = await reference.client.fineTuning.jobs.create({ ...params, training_file: refFile.id });
      const refDone = await waitForJob(reference.client, refJob.id);
      expect(metrics).toEqual(await metricsOf(reference.client, refJob.id));
      const ask = async (c: OpenAI, model: string) =>
        (
          await c.chat.completions.create({
            model,
            messages: [{ role: "user", content: "Tell me about Strontium" }],
            max_tokens: 120,
          })
        ).choices[0]?.message.content;
      expect(await ask(client, done.fine_tuned_model!)).toBe(await ask(reference.client, refDone.fine_tuned_model!));
    } finally {
      await server.close();
      await reference.close();
    }
  });
});
