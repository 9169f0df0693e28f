import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The lockfile parser of the tunefile build under test (dist/), so the check is the product's own schema check. */
export async function loadLockfileParser(binRoot) {
  const mod = await import(pathToFileURL(path.join(binRoot, "dist/engine/lockfile/parse.js")).href);
  return mod.parseLockfile;
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

async function readJson(file) {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

async function names(dir, pattern) {
  const all = await readdir(dir).catch(() => []);
  return all.filter((n) => pattern.test(n)).sort();
}

/**
 * What the local provider holds, read from its state directory while no server runs on it: the fine-tuning jobs,
 * the fine-tune files with the sha256 of their bytes, and the Uploads API objects.
 */
export async function readServerState(root) {
  const state = path.join(root, ".tunefile/local");
  const jobs = [];
  for (const name of await names(path.join(state, "jobs"), /^ftjob-[A-Za-z0-9]+\.json$/)) {
    const doc = await readJson(path.join(state, "jobs", name));
    jobs.push(doc?.job ?? { id: name.replace(/\.json$/, ""), status: "unreadable" });
  }
  const files = [];
  for (const name of await names(path.join(state, "files"), /^file-[A-Za-z0-9]+\.json$/)) {
    const meta = await readJson(path.join(state, "files", name));
    if (meta?.purpose !== "fine-tune") continue;
    const bytes = await readFile(path.join(state, "files", name.replace(/\.json$/, ".bin"))).catch(() => undefined);
    files.push({ id: meta.id, filename: meta.filename, sha256: bytes ? sha256(bytes) : "missing" });
  }
  const uploads = [];
  for (const name of await names(path.join(state, "uploads"), /^upload_[A-Za-z0-9]+\.json$/)) {
    const doc = await readJson(path.join(state, "uploads", name));
    const upload = doc?.upload ?? doc;
    uploads.push({
      id: upload?.id,
      filename: upload?.filename,
      bytes: upload?.bytes,
      status: upload?.status,
      parts: doc?.parts?.length ?? 0,
    });
  }
  return { jobs, files, uploads };
}

/** How many copies beyond the first each key has, summed. */
function surplus(keys) {
  const counts = new Map();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.values()].reduce((n, c) => n + c - 1, 0);
}

/**
 * Checks the project after a kill or a rerun. Returns the problems found (empty when every invariant holds) and the
 * duplicate counts. `final` adds the end-of-trial checks: one job, and the model recorded.
 */
export async function checkProject(root, parseLockfile, { final = false } = {}) {
  const problems = [];
  const server = await readServerState(root);
  const duplicateJobs = Math.max(0, server.jobs.length - 1);
  if (duplicateJobs > 0) problems.push(`${server.jobs.length} fine-tuning jobs: ${server.jobs.map((j) => j.id)}`);
  // A duplicate upload is a second stored copy of the same bytes: a file, or a completed Upload. An Upload left
  // pending by a lost create response is not one: it holds no file and expires after an hour, and the API has no
  // way to list it. Those are counted apart, as abandoned.
  const duplicateUploads =
    surplus(server.files.map((f) => f.sha256)) +
    surplus(server.uploads.filter((u) => u.status === "completed").map((u) => `${u.filename}:${u.bytes}`));
  if (duplicateUploads > 0) problems.push(`duplicate uploads: ${JSON.stringify(server.files)}`);
  const abandonedUploads = server.uploads.filter((u) => u.status === "pending").length;

  const lockPath = path.join(root, "pipelines/elle.lock.yaml");
  const text = await readFile(lockPath, "utf8").catch(() => undefined);
  if (text === undefined) {
    if (final) problems.push("no lockfile at the end");
    return { problems, duplicateJobs, duplicateUploads, abandonedUploads, server };
  }
  const parsed = parseLockfile(text, "pipelines/elle.lock.yaml");
  if (!parsed.ok) {
    problems.push(`lockfile does not parse: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
    return { problems, duplicateJobs, duplicateUploads, abandonedUploads, server };
  }
  const stages = parsed.lockfile.stages ?? {};
  const ok = (name) => stages[name]?.status === "succeeded";

  if (ok("prepare")) {
    for (const role of ["train", "validation"]) {
      const out = stages.prepare.outputs?.[role];
      if (!out) continue;
      const bytes = await readFile(path.join(root, out.path)).catch(() => undefined);
      if (!bytes || sha256(bytes) !== out.sha256)
        problems.push(`prepare claims ${out.path} but it is missing or differs`);
    }
  }
  if (ok("upload")) {
    for (const [content, entry] of Object.entries(stages.upload.outputs?.files ?? {})) {
      const onServer = server.files.find((f) => f.id === entry.id);
      if (!onServer) problems.push(`upload claims ${entry.id} but the server has no such file`);
      else if (onServer.sha256 !== content) problems.push(`upload claims ${entry.id} holds ${content}, it does not`);
    }
  }
  const model = stages.train?.outputs?.fine_tuned_model;
  if (ok("train")) {
    const job = server.jobs.find((j) => j.id === stages.train.outputs?.job_id);
    if (!job) problems.push(`train claims ${stages.train.outputs?.job_id} but the server has no such job`);
    else if (job.status !== "succeeded" || job.fine_tuned_model !== model) {
      problems.push(`train claims ${model} but job ${job.id} is ${job.status} with ${job.fine_tuned_model}`);
    }
  }
  if (ok("evaluate")) {
    for (const file of [stages.evaluate.outputs?.results, stages.evaluate.outputs?.report]) {
      const exists = typeof file === "string" && (await readFile(path.join(root, file)).catch(() => undefined));
      if (!exists) problems.push(`evaluate claims success but ${file} is missing`);
    }
    if (!(await readJson(path.join(root, stages.evaluate.outputs?.results ?? "none")))) {
      problems.push("evaluate's results file is torn");
    }
    if (stages.evaluate.outputs?.deploy_model !== model) problems.push("evaluate's deploy_model is not train's model");
  }
  if (ok("deploy")) {
    const record = await readJson(path.join(root, "deployments/elle.json"));
    if (record?.current?.model !== stages.deploy.outputs?.model || record?.current?.model !== model) {
      problems.push(
        `deploy claims ${stages.deploy.outputs?.model} but deployments/elle.json says ${record?.current?.model}`,
      );
    }
  }
  if (final) {
    if (server.jobs.length !== 1) problems.push(`${server.jobs.length} fine-tuning jobs at the end, not 1`);
    for (const name of ["prepare", "upload", "train", "evaluate", "deploy"]) {
      if (!ok(name)) problems.push(`${name} is ${stages[name]?.status ?? "missing"} at the end`);
    }
    if (typeof model !== "string" || !model.startsWith("ft:")) problems.push("no fine-tuned model recorded");
  }
  return { problems, duplicateJobs, duplicateUploads, abandonedUploads, server };
}
