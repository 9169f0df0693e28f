import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalResults } from "../../src/eval/types.js";
import { runCli } from "../helpers/cli.js";
import { elleProject } from "../helpers/project.js";
import { lockedStages, lockfileText, startCli, waitFor } from "../providers/harness.js";
import { startTestServer } from "../server/server-fixture.js";
import { waitFor as waitUntil } from "../helpers/wait-for.js";

/**
 * elle with `evaluation.mode: batch` on the local provider: the evaluate stage's uncached requests go to the server
 * as batches (one per model), and a SIGKILL while they are in progress never leads to a second batch for the same
 * requests.
 */
const RUN = ["run", "pipelines/elle.yaml", "--yes", "-S", "evaluation.mode=batch"];

/** Persisted batches on the project's local provider (temp files of a write in flight are not a batch yet). */
async function batchesOnServer(root: string): Promise<
  {
    id: string;
    status: string;
    metadata: Record<string, string>;
    request_counts: { total: number; completed: number };
  }[]
> {
  const dir = path.join(root, ".tunefile/local/batches");
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(dir, n), "utf8"))));
}

describe("evaluation through the Batch API", () => {
  it("runs elle end to end, one batch per model, priced at batch rates", async () => {
    const root = await elleProject();
    const run = await runCli(RUN, { cwd: root, timeoutMs: 120_000 });
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(0);
    const batches = await batchesOnServer(root);
    // base and few-shot ask the base model, fine_tuned the trained model: two models, two batches.
    expect(batches.map((b) => b.status)).toEqual(["completed", "completed"]);
    for (const b of batches) {
      expect(b.metadata).toMatchObject({ tunefile_pipeline: "elle", tunefile_stage: "evaluate" });
    }
    const results = JSON.parse(await readFile(path.join(root, "reports/elle/results.json"), "utf8")) as EvalResults;
    expect(results.mode).toBe("batch");
    expect(results.cells.every((c) => c.output !== undefined && c.error === undefined)).toBe(true);
    for (const c of results.summary.candidates)
      expect(c.price?.source).toBe("https://platform.openai.com/docs/guides/batch");
    expect((await lockedStages(root)).evaluate?.status).toBe("succeeded");
  }, 180_000);

  it("a SIGKILL while the batches are in progress: the rerun adopts them and creates no second batch", async () => {
    const clean = await elleProject();
    expect((await runCli(RUN, { cwd: clean, timeoutMs: 120_000 })).code).toBe(0);
    const expected = (await batchesOnServer(clean)).length;

    const root = await elleProject();
    const env = { TUNEFILE_LOCAL_BATCH_MS: "100" };
    const run = startCli(RUN, { cwd: root, env });
    await waitFor(
      "a batch in progress, recorded in the lockfile",
      async () =>
        /batch_id: batch_/.test(await lockfileText(root)) &&
        (await batchesOnServer(root)).some((b) => b.status === "in_progress"),
      run,
      120_000,
    );
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    expect((await lockedStages(root)).evaluate?.status).toBe("running");

    const rerun = await runCli(RUN, { cwd: root, env, timeoutMs: 120_000 });
    expect(rerun.stderr).not.toContain("internal error");
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/^evaluate resuming \(re-attaches to batch_/m);
    const batches = await batchesOnServer(root);
    expect(batches).toHaveLength(expected);
    expect(batches.every((b) => b.status === "completed")).toBe(true);
  }, 240_000);

  it("a SIGKILL after one batch was collected and before the next: the rerun reads the recorded batch, creating none", async () => {
    const root = await elleProject();
    // fine_tuned first: its batch (10 requests) is the first part and ends before the base model's (20), so there
    // is a stretch when one part is collected and the other still runs. A rerun then has only the second part's
    // requests unanswered, which once made it a part of a different position, and a second batch.
    const file = path.join(root, "pipelines/elle.yaml");
    const yaml = await readFile(file, "utf8");
    await writeFile(file, yaml.replace("candidates: [base, fine_tuned,", "candidates: [fine_tuned, base,"));
    const env = { TUNEFILE_LOCAL_BATCH_MS: "150" };
    const run = startCli(RUN, { cwd: root, env });
    await waitFor(
      "one batch collected, the other in progress",
      async () =>
        /done: true/.test(await lockfileText(root)) &&
        (await batchesOnServer(root)).some((b) => b.status === "in_progress"),
      run,
      180_000,
    );
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    expect(await batchesOnServer(root)).toHaveLength(2);

    const rerun = await runCli(RUN, { cwd: root, env, timeoutMs: 120_000 });
    expect(rerun.stderr).not.toContain("internal error");
    expect(rerun.code).toBe(0);
    const batches = await batchesOnServer(root);
    expect(batches).toHaveLength(2);
    expect(batches.every((b) => b.status === "completed")).toBe(true);
    const results = JSON.parse(await readFile(path.join(root, "reports/elle/results.json"), "utf8")) as EvalResults;
    expect(results.cells.every((c) => c.output !== undefined && c.error === undefined)).toBe(true);
  }, 300_000);

  it("a batch cancelled part way: watch keeps the answers it has and sends only the rest again", async () => {
    const root = await elleProject();
    expect((await runCli(["run", "pipelines/elle.yaml", "--yes"], { cwd: root, timeoutMs: 120_000 })).code).toBe(0);
    await rm(path.join(root, ".tunefile/elle/cache"), { recursive: true, force: true });
    const detached = await runCli([...RUN, "--from", "evaluate", "--detach"], { cwd: root, timeoutMs: 120_000 });
    expect(detached.code).toBe(0);
    const first = new Set((await batchesOnServer(root)).map((b) => b.id));
    expect(first.size).toBe(2);
    // The batches stopped with the run's in-process server; this one picks them up. Someone cancels one of them
    // (from the dashboard, say) once some of its answers exist: those are billed and in its output file.
    const server = await startTestServer({ stateDir: path.join(root, ".tunefile/local"), batchMs: 100 });
    let cancelled: { id: string; total: number; completed: number };
    try {
      const batch = await waitUntil(
        async () => (await server.client.batches.list()).data.find((b) => (b.request_counts?.completed ?? 0) >= 3),
        { what: "a batch with 3 answers", timeoutMs: 60_000 },
      );
      await server.client.batches.cancel(batch.id);
      const done = await waitUntil(
        async () => {
          const b = await server.client.batches.retrieve(batch.id);
          return b.status === "cancelled" ? b : undefined;
        },
        { what: "the batch cancelled", timeoutMs: 60_000 },
      );
      cancelled = { id: done.id, total: done.request_counts!.total, completed: done.request_counts!.completed };
    } finally {
      await server.close();
    }
    expect(cancelled.completed).toBeLessThan(cancelled.total);

    const watched = await runCli(["watch", "pipelines/elle.yaml", "-S", "evaluation.mode=batch"], {
      cwd: root,
      timeoutMs: 120_000,
    });
    expect(watched.code).toBe(0);
    const batches = await batchesOnServer(root);
    expect(batches).toHaveLength(3);
    // The new batch holds only what the cancelled one had not answered.
    const added = batches.filter((b) => !first.has(b.id));
    expect(added.map((b) => [b.status, b.request_counts.total])).toEqual([
      ["completed", cancelled.total - cancelled.completed],
    ]);
    const results = JSON.parse(await readFile(path.join(root, "reports/elle/results.json"), "utf8")) as EvalResults;
    expect(results.cells.every((c) => c.output !== undefined && c.error === undefined)).toBe(true);
  }, 300_000);

  it("tunefile cancel cancels evaluate's batches; the next run keeps their answers and asks the rest", async () => {
    const root = await elleProject();
    expect((await runCli(["run", "pipelines/elle.yaml", "--yes"], { cwd: root, timeoutMs: 120_000 })).code).toBe(0);
    await rm(path.join(root, ".tunefile/elle/cache"), { recursive: true, force: true });
    // Slow batches: they are still in progress when cancel arrives.
    const env = { TUNEFILE_LOCAL_BATCH_MS: "1000" };
    const detached = await runCli([...RUN, "--from", "evaluate", "--detach"], { cwd: root, env, timeoutMs: 120_000 });
    expect(detached.code).toBe(0);
    const first = (await batchesOnServer(root)).map((b) => b.id).sort();

    const cancelled = await runCli(["cancel", "pipelines/elle.yaml"], { cwd: root, env });
    expect(cancelled.stderr).not.toContain("could not cancel");
    expect(cancelled.code).toBe(0);
    for (const id of first)
      expect(cancelled.stdout).toMatch(
        new RegExp(`^(${id}: cancelled|cancel requested for ${id} \\(cancelling\\))$`, "m"),
      );
    expect(cancelled.stdout).toContain("evaluate stays running");
    // The local provider's batches stop with its process: still `cancelling` until the next run's server ends them.
    const stopped = await batchesOnServer(root);
    expect(stopped.filter((b) => first.includes(b.id)).every((b) => /^cancell(ing|ed)$/.test(b.status))).toBe(true);

    const rerun = await runCli(RUN, { cwd: root, timeoutMs: 120_000 });
    expect(rerun.code).toBe(0);
    const results = JSON.parse(await readFile(path.join(root, "reports/elle/results.json"), "utf8")) as EvalResults;
    expect(results.cells.every((c) => c.output !== undefined && c.error === undefined)).toBe(true);
    const after = await batchesOnServer(root);
    expect(after.filter((b) => first.includes(b.id)).map((b) => b.status)).toEqual(["cancelled", "cancelled"]);
    const added = after.filter((b) => !first.includes(b.id));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((b) => b.status === "completed")).toBe(true);
  }, 300_000);

  it("--detach returns once the batches exist; watch follows them to the end, creating none", async () => {
    const root = await elleProject();
    expect((await runCli(["run", "pipelines/elle.yaml", "--yes"], { cwd: root, timeoutMs: 120_000 })).code).toBe(0);
    // Without the answers of that synchronous run, every request goes into the batches.
    await rm(path.join(root, ".tunefile/elle/cache"), { recursive: true, force: true });
    const env = { TUNEFILE_LOCAL_BATCH_MS: "20" };
    const detached = await runCli([...RUN, "--from", "evaluate", "--detach"], { cwd: root, env, timeoutMs: 120_000 });
    expect(detached.code).toBe(0);
    expect(detached.stdout).toMatch(/^evaluate detached: 2 batch\(es\) exist \(batch_/m);
    expect((await lockedStages(root)).evaluate?.status).toBe("running");
    const made = (await batchesOnServer(root)).length;
    expect(made).toBe(2);

    const watched = await runCli(["watch", "pipelines/elle.yaml", "-S", "evaluation.mode=batch"], {
      cwd: root,
      env,
      timeoutMs: 120_000,
    });
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/^evaluate resuming \(re-attaches to batch_/m);
    expect((await lockedStages(root)).evaluate?.status).toBe("succeeded");
    expect(await batchesOnServer(root)).toHaveLength(made);
  }, 240_000);
});
