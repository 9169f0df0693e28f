import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

/**
 * Where a kill landed, from what the child printed before it died (stdout is a pipe, written synchronously, so the
 * events the suite reads are exactly those the child emitted) and from the lockfile it left:
 *   - `{ stage, inStage: true }`: the child had started `stage` and had neither recorded its outcome in the lockfile
 *     nor printed its `stage-end`;
 *   - `{ stage, inStage: false, at: "end" }`: the stage's outcome was recorded (the lockfile says so, or its
 *     `stage-end` was printed) and the next stage had not started: a kill on the `*-end` event or between stages;
 *   - `{ stage: "startup", inStage: false }`: no stage had started.
 */
export function landing(events, lockfile) {
  let open;
  let lastEnded;
  for (const e of events) {
    if (e.type === "stage-start") open = e.stage;
    if (e.type === "stage-end") {
      lastEnded = e.stage;
      if (open === e.stage) open = undefined;
    }
  }
  if (open === undefined) return lastEnded ? { stage: lastEnded, inStage: false, at: "end" } : { stage: "startup" };
  // The executor writes a stage's outcome to the lockfile before printing stage-end.
  const status = lockfile?.stages?.[open]?.status;
  if (status !== undefined && status !== "running") return { stage: open, inStage: false, at: "end" };
  return { stage: open, inStage: true };
}

/**
 * What was half done when an in-stage kill landed, read from disk: the evidence that the kill hit the window it
 * aimed at (or another instant of the same stage). `server` is lib/invariants.mjs's readServerState.
 */
export async function halfDone(stage, root, lockfile, server, events) {
  const record = lockfile?.stages?.[stage];
  const checkpoint = record?.checkpoint ?? {};
  switch (stage) {
    case "prepare": {
      const names = await readdir(path.join(root, ".tunefile/elle")).catch(() => []);
      const committed = ["train.jsonl", "validation.jsonl"].filter((n) => names.includes(n));
      return committed.length > 0 ? `${committed.join(" and ")} committed, not recorded` : "before the commit";
    }
    case "upload": {
      const pending = server.uploads.filter((u) => u.status === "pending");
      const recorded = new Set(Object.values(checkpoint.parts ?? {}).map((p) => p.upload_id));
      const unrecorded = pending.filter((u) => !recorded.has(u.id));
      if (unrecorded.length > 0) return "upload created, id not recorded";
      const withParts = pending.filter((u) => u.parts > 0);
      if (withParts.length > 0) return `between parts (${withParts.map((u) => `${u.parts} sent`).join(", ")})`;
      if (pending.length > 0) return "upload created, no part sent";
      return "no upload in flight";
    }
    case "train": {
      if (server.jobs.length > 0 && !checkpoint.job_id) return "job created, id not recorded";
      if (checkpoint.job_id) {
        const job = server.jobs.find((j) => j.id === checkpoint.job_id);
        return `monitoring (job ${job?.status ?? "missing"})`;
      }
      return "before the create";
    }
    case "evaluate": {
      const total = events.find((e) => e.type === "stage-progress" && e.stage === "evaluate")?.totalSteps;
      // The cache is append-only logs, one line per answer (a torn last line does not count).
      const dir = path.join(root, ".tunefile/elle/cache");
      const logs = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith(".jsonl"));
      let cached = 0;
      for (const name of logs) {
        const text = await readFile(path.join(dir, name), "utf8").catch(() => "");
        cached += text.split("\n").filter((line) => line.endsWith("}")).length;
      }
      return `${cached} answers cached${total ? ` of ${total}` : ""}`;
    }
    case "deploy": {
      const names = await readdir(path.join(root, "deployments")).catch(() => []);
      if (names.some((n) => n !== "elle.json")) return "mid-write (temp file left)";
      if (names.includes("elle.json")) return "written, not recorded";
      return "before the write";
    }
    default:
      return "";
  }
}
