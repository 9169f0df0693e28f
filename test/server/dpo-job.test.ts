import { describe, expect, it } from "vitest";
import { ELLE_TRAIN } from "./trainer/elle.js";
import { allEvents, startTestServer, uploadText, waitForJob } from "./server-fixture.js";

/** A DPO job through the API: preference pairs from Elle, the DPO objective's metrics in the job's events. */
describe("local provider: DPO jobs", () => {
  it("trains on the preference objective and reports its metrics", async () => {
    const server = await startTestServer();
    try {
      const lines = ELLE_TRAIN.map((ex) =>
        JSON.stringify({
          input: { messages: ex.messages.filter((m) => m.role !== "assistant") },
          preferred_output: ex.messages.filter((m) => m.role === "assistant"),
          non_preferred_output: [{ role: "assistant", content: "I am not sure. Please look it up somewhere else." }],
        }),
      );
      const file = await uploadText(server.client, `${lines.join("\n")}\n`, "pairs.jsonl");
      const job = await server.client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: file.id,
        method: { type: "dpo", dpo: { hyperparameters: { beta: 0.3, n_epochs: 2 } } },
      });
      const done = await waitForJob(server.client, job.id);
      expect(done.status).toBe("succeeded");
      const metrics = (await allEvents(server.client, job.id)).filter((e) => e.type === "metrics");
      const data = metrics.map((e) => e.data as Record<string, number>);
      expect(data[0]?.train_loss).toBeCloseTo(Math.log(2), 6);
      expect(
        data.every((d) => typeof d.train_reward_accuracy === "number" && typeof d.train_reward_margin === "number"),
      ).toBe(true);
      const answer = await server.client.chat.completions.create({
        model: done.fine_tuned_model ?? "",
        messages: [{ role: "user", content: "Tell me about Neon" }],
        max_tokens: 20,
      });
      expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 90_000);
});
