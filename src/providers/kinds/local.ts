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
      let owned: { url: string; close(): Promise<void>; withdraw(): Promise<void> } | undefined;
      let url = "";
      /**
       * Starts this process's server on the state, or uses the one another tunefile process published (e.g.
       * `cancel` during `run`, or a second pipeline's run in the same project). Throws when neither can be had.
       */
      const serve = async () => {
        try {
          const server = await startLocalServer({ port: 0, stateDir, ...knobs.options });
          owned = { ...server, withdraw: await publishServer(stateDir, server.url) };
          url = server.url;
        } catch (err) {
          if (!(err instanceof StateDirInUseError)) throw err;
          const shared = await readShared(path.join(stateDir, SHARED_FILE));
          if (shared?.pid !== err.pid) throw err;
          url = shared.url;
        }
      };
      await serve();
      // A borrowed server ends with its process (the other run finished): when it stops answering, this process
      // takes the state over (its server resumes the jobs, as after a restart) and asks again.
      let takingOver: Promise<void> | undefined;
      const fetchVia: typeof fetch = async (input, init) => {
        const asked = url;
        try {
          return await fetch(rebase(input, asked), init);
        } catch (err) {
          if (owned || init?.signal?.aborted) throw err;
          if (url === asked) {
            takingOver ??= serve().finally(() => {
              takingOver = undefined;
            });
            await takingOver.catch(() => {});
          }
          if (url === asked || init?.body instanceof ReadableStream) throw err;
          return fetch(rebase(input, url), init);
        }
      };
      const client = new OpenAI({ ...commonClientOptions(env), apiKey: LOCAL_API_KEY, baseURL: url, fetch: fetchVia });
      return sdkProvider(identity, client, {
        close: async () => {
          await owned?.withdraw();
          await owned?.close();
        },
      });
    },
  };
};

/** The request's URL with the server's base URL swapped for `base` (the client was made with the first one). */
function rebase(input: Parameters<typeof fetch>[0], base: string): Parameters<typeof fetch>[0] {
  const target = new URL(base);
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  url.host = target.host;
  return typeof input === "string" || input instanceof URL ? url.href : new Request(url.href, input);
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
