import { relativePosix } from "../../core/display-path.js";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import OpenAI from "openai";
import { StateDirInUseError } from "../../core/state-dir-lock.js";
import type { Env } from "../../core/env.js";
import { type FaultSpec, parseFaultSpec } from "../../server/faults.js";
import { commonClientOptions, envValue, type KindResolver, missing, sdkProvider } from "./common.js";

/** The key the client sends to the in-process server, which accepts any key unless told otherwise. */
const LOCAL_API_KEY = "tunefile-local";

/**
 * local: the built-in server (src/server), started in-process on a free loopback port, with its state in
 * `<root>/.tunefile/local` (or provider.state_dir) so that a rerun's server picks up the jobs where the last one
 * stopped. TUNEFILE_LOCAL_STEP_MS, _BATCH_MS and _FAULTS are the test knobs of `tunefile serve`.
 */
export const resolveLocal: KindResolver = ({ settings, env, root, pipelineDir }) => {
  const stateDir = settings.state_dir
    ? path.resolve(pipelineDir, settings.state_dir)
    : path.join(root, ".tunefile", "local");
  const knobs = localKnobs(env);
  if (!knobs.ok) return { ok: false, diagnostics: [missing("provider-config", knobs.message)] };
  // The identity must not change between runs (the port does) nor hold an absolute path (fingerprints are
  // portable), so it names the state directory relative to the project root.
  const relative = relativePosix(root, stateDir) || ".";
  const identity = { kind: "local" as const, base_url: `local:${relative}` };
  return {
    ok: true,
    identity,
    detail: `; state in ${relative}`,
    connect: async () => {
      // Loaded only when used: a run with every stage fresh never pays for the server's modules.
      const { startLocalServer } = await import("../../server/app.js");
      const clientFor = (baseURL: string) =>
        new OpenAI({ ...commonClientOptions(env), apiKey: LOCAL_API_KEY, baseURL });
      let server: Awaited<ReturnType<typeof startLocalServer>>;
      try {
        server = await startLocalServer({ port: 0, stateDir, ...knobs.options });
      } catch (err) {
        // Another tunefile command's in-process server owns the state (e.g. `cancel` during `run`): use the one
        // its owner published, if it did.
        if (!(err instanceof StateDirInUseError)) throw err;
        const shared = await readShared(path.join(stateDir, SHARED_FILE));
        if (shared?.pid !== err.pid) throw err;
        return sdkProvider(identity, clientFor(shared.url));
      }
      const withdraw = await publishServer(stateDir, server.url);
      return sdkProvider(identity, clientFor(server.url), {
        close: async () => {
          await withdraw();
          await server.close();
        },
      });
    },
  };
};

type KnobOptions = { stepMs?: number; batchMs?: number; batchTokens?: number; faults?: FaultSpec };
type Knobs = { ok: true; options: KnobOptions } | { ok: false; message: string };

/**
 * TUNEFILE_LOCAL_STEP_MS, TUNEFILE_LOCAL_BATCH_MS, TUNEFILE_LOCAL_BATCH_TOKENS and TUNEFILE_LOCAL_FAULTS, checked
 * before anything starts.
 */
function localKnobs(env: Env): Knobs {
  const options: KnobOptions = {};
  for (const [name, key] of [
    ["TUNEFILE_LOCAL_STEP_MS", "stepMs"],
    ["TUNEFILE_LOCAL_BATCH_MS", "batchMs"],
    ["TUNEFILE_LOCAL_BATCH_TOKENS", "batchTokens"],
  ] as const) {
    const text = envValue(env, name);
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) {
      const unit = key === "batchTokens" ? "tokens" : "milliseconds";
      return { ok: false, message: `${name} must be a whole number of ${unit}, got "${text}"` };
    }
    options[key] = value;
  }
  const faults = envValue(env, "TUNEFILE_LOCAL_FAULTS");
  if (faults !== undefined) {
    const parsed = parseFaultSpec(faults);
    if (!parsed.ok) return { ok: false, message: `TUNEFILE_LOCAL_FAULTS: ${parsed.message}` };
    options.faults = parsed.spec;
  }
  return { ok: true, options };
}

/**
 * One server may own a state directory (src/core/state-dir-lock.ts): while `run` trains, `status`, `cancel` or
 * `watch` cannot start their own, so the runner publishes its server's URL in this file for them.
 */
const SHARED_FILE = "in-process-server.json";

/** Publishes this process's server for the others; returns how to withdraw it. */
async function publishServer(stateDir: string, url: string): Promise<() => Promise<void>> {
  const file = path.join(stateDir, SHARED_FILE);
  await writeFile(file, JSON.stringify({ pid: process.pid, url }));
  return async () => {
    const current = await readShared(file);
    if (current?.pid === process.pid && current.url === url) await rm(file, { force: true });
  };
}

async function readShared(file: string): Promise<{ pid: number; url: string } | undefined> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as { pid?: unknown; url?: unknown };
    return typeof value.pid === "number" && typeof value.url === "string"
      ? { pid: value.pid, url: value.url }
      : undefined;
  } catch {
    // Missing, or half-written by a process that died.
    return undefined;
  }
}
