import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { type FaultSpec, parseFaultSpec } from "../../src/server/faults.js";
import { ELLE_TRAIN, startTestServer, uploadFile, waitForJob } from "./server-fixture.js";

function spec(text: string): FaultSpec {
  const parsed = parseFaultSpec(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.spec;
}

describe("local provider: fault injection", () => {
  it("parses the spec and names what is wrong", () => {
    expect(spec("rate=0.3,seed=7,kinds=429|500|reset|slow|lost-create,slow-ms=2000")).toEqual({
      rate: 0.3,
      seed: 7,
      kinds: ["429", "500", "reset", "slow", "lost-create"],
      slowMs: 2000,
      retryAfterMs: 100,
    });
    expect(parseFaultSpec("rate=2,kinds=429")).toEqual({
      ok: false,
      message: 'faults: rate must be between 0 and 1, got "2"',
    });
    expect(parseFaultSpec("rate=0.1,kinds=404")).toEqual({
      ok: false,
      message: 'faults: unknown kind "404" (known: 429, 500, reset, slow, lost-create, 400, 401, quota)',
    });
  });

  it("answers 429 with retry-after, 500, and the permanent 400, 401 and insufficient_quota", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["429", { status: 429, code: "rate_limit_exceeded" }],
      ["500", { status: 500, type: "server_error" }],
      ["400", { status: 400, type: "invalid_request_error" }],
      ["401", { status: 401, code: "invalid_api_key" }],
      ["quota", { status: 429, code: "insufficient_quota", type: "insufficient_quota" }],
    ];
    for (const [kind, expected] of cases) {
      const server = await startTestServer({ faults: spec(`rate=1,seed=3,kinds=${kind},retry-after-ms=250`) });
      try {
        const error = (await server.client.models.list().catch((e: unknown) => e)) as InstanceType<
          typeof OpenAI.APIError
        >;
        expect(error).toBeInstanceOf(OpenAI.APIError);
        expect(error).toMatchObject(expected);
        if (kind === "429") {
          expect(error.headers?.get("retry-after-ms")).toBe("250");
          expect(error.headers?.get("retry-after")).toBe("1");
        }
        if (kind === "quota") expect(error.headers?.get("x-should-retry")).toBe("false");
        // The health check is never faulted.
        expect((await fetch(server.url.replace(/\/v1$/, "/health"))).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });

  it("drops connections (reset) and delays past the client timeout (slow)", async () => {
    const reset = await startTestServer({ faults: spec("rate=1,kinds=reset") });
    try {
      await expect(reset.client.models.list()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    } finally {
      await reset.close();
    }
    const slow = await startTestServer({ faults: spec("rate=1,kinds=slow,slow-ms=3000") });
    try {
      const client = new OpenAI({ baseURL: slow.url, apiKey: "test", maxRetries: 0, timeout: 200 });
      await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    } finally {
      await slow.close();
    }
  });

  it("lost-create creates the job but drops the response; the job is there afterwards", async () => {
    const server = await startTestServer({ faults: spec("rate=1,kinds=lost-create,paths=/fine_tuning/jobs") });
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      await expect(
        client.fineTuning.jobs.create({
          model: "gpt-4o-mini",
          training_file: file.id,
          hyperparameters: { n_epochs: 1 },
          metadata: { run_id: "r1" },
        }),
      ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
      // GETs are not creates, so lost-create never applies to them.
      const listed = await client.fineTuning.jobs.list({ metadata: { run_id: "r1" } });
      expect(listed.data).toHaveLength(1);
      expect((await waitForJob(client, listed.data[0]?.id ?? "")).status).toBe("succeeded");
    } finally {
      await server.close();
    }
  });

  it("fails jobs on purpose with fail-jobs, optionally only those with a given suffix", async () => {
    expect(spec("fail-jobs=training:elle").failJobs).toEqual({ stage: "training", suffix: "elle" });
    const server = await startTestServer({ faults: spec("fail-jobs=validation:doomed") });
    try {
      const { client } = server;
      const file = await uploadFile(client, ELLE_TRAIN);
      const doomed = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: file.id,
        suffix: "doomed",
        hyperparameters: { n_epochs: 1 },
      });
      const fine = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: file.id,
        suffix: "fine",
        hyperparameters: { n_epochs: 1 },
      });
      expect(await waitForJob(client, doomed.id)).toMatchObject({
        status: "failed",
        error: { code: "invalid_training_file", param: "training_file" },
      });
      expect((await waitForJob(client, fine.id)).status).toBe("succeeded");
    } finally {
      await server.close();
    }
  });

  it("draws the same faults for the same seed, and SDK retries get through a 50% fault rate", async () => {
    const outcomes = async (seed: number) => {
      const server = await startTestServer({ faults: spec(`rate=0.5,seed=${seed},kinds=429|500,retry-after-ms=1`) });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          statuses.push(
            await server.client.models.list().then(
              () => 200,
              (e: { status: number }) => e.status,
            ),
          );
        }
        const retrying = new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 8 });
        const models = await retrying.models.list();
        expect(models.data.length).toBeGreaterThan(0);
        return statuses;
      } finally {
        await server.close();
      }
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((s) => s === 429 || s === 500)).toBe(true);
  });
});
