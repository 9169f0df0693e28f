import path from "node:path";
import OpenAI from "openai";
import { commonClientOptions, envValue, type KindResolver } from "./common.js";

/** What this file uses of src/server/app.ts, loaded only when the local provider is used. */
interface LocalServerModule {
  startLocalServer(options: {
    port: number;
    stateDir: string;
    stepMs?: number;
    faults?: string;
  }): Promise<{ url: string; close(): Promise<void> }>;
}
const SERVER_MODULE = "../../server/app.js";

/** The key the client sends to the in-process server, which accepts any key unless told otherwise. */
const LOCAL_API_KEY = "tunefile-local";

/**
 * local: the built-in server (src/server), started in-process on a free loopback port when first used, with its
 * state in `<root>/.tunefile/local` (or provider.state_dir, relative to the pipeline file) so jobs survive the
 * runner: a rerun's server picks up where the last one stopped. TUNEFILE_LOCAL_STEP_MS and TUNEFILE_LOCAL_FAULTS
 * are the test knobs of `tunefile serve`.
 */
export const resolveLocal: KindResolver = ({ settings, env, root, pipelineDir }) => {
  const stateDir = settings.state_dir
    ? path.resolve(pipelineDir, settings.state_dir)
    : path.join(root, ".tunefile", "local");
  // The identity must not change between runs (the port does) nor hold an absolute path (fingerprints are
  // portable), so it names the state directory relative to the project root.
  const relative = path.relative(root, stateDir).split(path.sep).join("/") || ".";
  const identity = { kind: "local" as const, base_url: `local:${relative}` };
  return {
    ok: true,
    identity,
    detail: `; state in ${relative}`,
    connect: async () => {
      const { startLocalServer } = (await import(SERVER_MODULE)) as LocalServerModule;
      const stepMs = envValue(env, "TUNEFILE_LOCAL_STEP_MS");
      const faults = envValue(env, "TUNEFILE_LOCAL_FAULTS");
      const server = await startLocalServer({
        port: 0,
        stateDir,
        ...(stepMs !== undefined ? { stepMs: Number.parseInt(stepMs, 10) } : {}),
        ...(faults !== undefined ? { faults } : {}),
      });
      const client = new OpenAI({ ...commonClientOptions(env), apiKey: LOCAL_API_KEY, baseURL: server.url });
      return { identity, client, requiresDeployment: false, close: () => server.close() };
    },
  };
};
