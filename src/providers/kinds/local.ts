import { relativePosix } from "../../core/display-path.js";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import OpenAI from "openai";
import { StateDirInUseError } from "../../core/state-dir-lock.js";
import { parseKnobs } from "../../server/knobs.js";
import { commonClientOptions, type KindResolver, missing, sdkProvider } from "./common.js";

/** The key the client sends to the in-process server, which accepts any key unless told otherwise. */
const LOCAL_API_KEY = "tunefile-local";

/**
 * local: the built-in server (src/server), started in-process on a free loopback port, with its state in
 * `<root>/.tunefile/local` (or provider.state_dir) so that a rerun's server picks up the jobs where the last one
 * stopped. The TUNEFILE_LOCAL_* variables set the test knobs of `tunefile serve` (src/server/knobs.ts).
 */
export const resolveLocal: KindResolver = ({ settings, env, root, pipelineDir }) => {
  const stateDir = settings.state_dir
    ? path.resolve(pipelineDir, settings.state_dir)
    : path.join(root, ".tunefile", "local");
  const knobs = parseKnobs({}, env);
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
