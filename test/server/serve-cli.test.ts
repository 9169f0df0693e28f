import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { allEvents, ELLE_TRAIN, waitForJob } from "./server-fixture.js";

/** Starts `tunefile serve` as a real child process and resolves with the URL it prints first. */
async function serveProcess(args: string[], env: Record<string, string> = {}, dir?: string) {
  const cwd = dir ?? (await tempDir("tunefile-serve-cli-"));
  const child = spawn(process.execPath, [BIN, "serve", ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const first = stdout.split("\n");
      if (first.length > 1) resolve(first[0] ?? "");
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr })),
  );
  const kill = (signal: NodeJS.Signals) => {
    child.kill(signal);
    return exited;
  };
  return { url, cwd, stop: () => kill("SIGTERM"), crash: () => kill("SIGKILL") };
}

describe("tunefile serve", () => {
  it("prints the base URL first, serves the API, and stops cleanly on SIGTERM", async () => {
    const server = await serveProcess(["--port", "0", "--state", "state"]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("gpt-3.5-turbo-0125");
    const { code, stderr } = await server.stop();
    expect(code).toBe(0);
    expect(stderr).toBe("tunefile serve: stopped\n");
  });

  it("reads TUNEFILE_LOCAL_FAULTS from the environment and --api-key from the flags", async () => {
    const server = await serveProcess(["--port", "0", "--api-key", "sk-local"], {
      TUNEFILE_LOCAL_FAULTS: "rate=1,kinds=500",
    });
    try {
      // Authentication comes first; requests that pass it get the injected faults.
      const wrong = new OpenAI({ baseURL: server.url, apiKey: "sk-other", maxRetries: 0 });
      await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });
      const right = new OpenAI({ baseURL: server.url, apiKey: "sk-local", maxRetries: 0 });
      await expect(right.models.list()).rejects.toMatchObject({ status: 500 });
      const health = await fetch(server.url.replace(/\/v1$/, "/health"));
      expect(health.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("finishes a job after the server was killed mid-training (SIGKILL, no graceful close)", async () => {
    const first = await serveProcess(["--port", "0", "--state", "state", "--step-ms", "40"]);
    const client = new OpenAI({ baseURL: first.url, apiKey: "test", maxRetries: 0 });
    const file = await client.files.create({
      file: await toFile(await readFile(ELLE_TRAIN), "train.jsonl"),
      purpose: "fine-tune",
    });
    const job = await client.fineTuning.jobs.create({
      model: "gpt-3.5-turbo",
      training_file: file.id,
      hyperparameters: { n_epochs: 2 },
    });
    await waitForJob(client, job.id, new Set(["running"]));
    await first.crash();

    const second = await serveProcess(["--port", "0", "--state", "state"], {}, first.cwd);
    try {
      const again = new OpenAI({ baseURL: second.url, apiKey: "test", maxRetries: 0 });
      const done = await waitForJob(again, job.id);
      expect(done.status).toBe("succeeded");
      const steps = (await allEvents(again, job.id)).filter((e) => e.type === "metrics");
      expect(steps.map((e) => (e.data as { step: number }).step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await second.stop();
    }
  });

  it("refuses to serve a state directory another live server owns, or a port in use", async () => {
    const first = await serveProcess(["--port", "0", "--state", "state"]);
    try {
      const port = new URL(first.url).port;
      const sameState = await runCli(["serve", "--port", "0", "--state", "state"], { cwd: first.cwd });
      expect(sameState.code).toBe(1);
      expect(sameState.stderr).toMatch(
        /^tunefile serve: the state directory .*state is in use by another local server \(stop it or use another --state\): locked by pid \d+ on host .+ since .+; that process is still running \(heartbeat \d+ s ago\); the lock frees when it ends\n$/,
      );
      const samePort = await runCli(["serve", "--port", port, "--state", "other"], { cwd: first.cwd });
      expect(samePort.code).toBe(1);
      expect(samePort.stderr).toBe(`tunefile serve: port ${port} is already in use\n`);
    } finally {
      await first.stop();
    }
  });

  it("rejects a malformed fault spec, step time or token limit with exit code 2", async () => {
    const cwd = await tempDir();
    const faults = await runCli(["serve", "--faults", "rate=0.5,kinds=teapot"], { cwd });
    expect(faults.code).toBe(2);
    expect(faults.stderr).toBe(
      'tunefile serve: faults: unknown kind "teapot" (known: 429, 500, reset, slow, lost-create, 400, 401, quota)\n',
    );
    const step = await runCli(["serve"], { cwd, env: { TUNEFILE_LOCAL_STEP_MS: "fast" } });
    expect(step.code).toBe(2);
    expect(step.stderr).toBe(
      'tunefile serve: --step-ms (TUNEFILE_LOCAL_STEP_MS) must be a non-negative integer, got "fast"\n',
    );
    const tokens = await runCli(["serve", "--batch-tokens", "-1"], { cwd });
    expect(tokens.code).toBe(2);
    expect(tokens.stderr).toBe(
      'tunefile serve: --batch-tokens (TUNEFILE_LOCAL_BATCH_TOKENS) must be a non-negative integer, got "-1"\n',
    );
  });
});
