import { randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type FaultSpec, parseFaultSpec } from "../../src/server/faults.js";
import { startLocalServer } from "../../src/server/app.js";
import { runCli } from "../helpers/cli.js";
import { elleProject } from "../helpers/project.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Secrets (issue 6): a random canary key, given as OPENAI_API_KEY or through an openai-compatible provider's
 * api_key_env, must never reach the lockfile, reports/, deployments/, .tunefile/, stdout, stderr or the NDJSON
 * events, on success and on failure (a rejected key, a 400, a failed job). The service runs as a separate local
 * server (its own state directory, outside the project), as a remote provider would.
 */

/** Every file under `dir`, recursively, as latin1 text (binary files too: a key is ASCII either way). */
async function allFiles(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, text: await readFile(file, "latin1") });
  }
  return out;
}

/** Where the canary, or its last 12 characters (what a partly masked echo keeps), appears. */
function leaks(canary: string, texts: { file: string; text: string }[]): string[] {
  const tail = canary.slice(-12);
  return texts.filter((t) => t.text.includes(canary) || t.text.includes(tail)).map((t) => t.file);
}

interface SecretCase {
  name: string;
  /** How the key reaches tunefile. */
  via: "OPENAI_API_KEY" | "api_key_env";
  /** The key the service accepts: the canary, or another one (a rejected key). */
  serverKey: "canary" | "other";
  faults?: string;
  exitCode: number;
}

const CASES: SecretCase[] = [
  { name: "success through OPENAI_API_KEY", via: "OPENAI_API_KEY", serverKey: "canary", exitCode: 0 },
  { name: "success through api_key_env", via: "api_key_env", serverKey: "canary", exitCode: 0 },
  { name: "a rejected key (401)", via: "OPENAI_API_KEY", serverKey: "other", exitCode: 1 },
  {
    name: "a 400 on upload",
    via: "api_key_env",
    serverKey: "canary",
    faults: "rate=1,kinds=400,paths=/files",
    exitCode: 1,
  },
  { name: "a failed job", via: "OPENAI_API_KEY", serverKey: "canary", faults: "fail-jobs=training", exitCode: 1 },
];

function faultSpec(text: string | undefined): FaultSpec | undefined {
  if (text === undefined) return undefined;
  const parsed = parseFaultSpec(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.spec;
}

describe("a canary key never leaves the environment", () => {
  it.concurrent.each(CASES)(
    "$name",
    async ({ via, serverKey, faults, exitCode }) => {
      const canary = `sk-canary-${randomBytes(16).toString("hex")}`;
      const root = await elleProject({ smallEval: true, lifetime: "file" });
      const spec = faultSpec(faults);
      const service = await startLocalServer({
        port: 0,
        stateDir: await tempDir("tunefile-service-", "file"),
        apiKey: serverKey === "canary" ? canary : `sk-other-${randomBytes(8).toString("hex")}`,
        ...(spec ? { faults: spec } : {}),
      });
      try {
        let env: Record<string, string>;
        if (via === "api_key_env") {
          const file = path.join(root, "pipelines/elle.yaml");
          const yaml = (await readFile(file, "utf8")).replace(
            /^provider: auto$/m,
            `provider: { kind: openai-compatible, base_url: "${service.url}", api_key_env: TUNEFILE_CANARY_KEY }`,
          );
          await writeFile(file, yaml);
          env = { TUNEFILE_CANARY_KEY: canary };
        } else {
          env = { OPENAI_API_KEY: canary, OPENAI_BASE_URL: service.url };
        }
        const run = await runCli(["run", "pipelines/elle.yaml", "--yes", "--json"], {
          cwd: root,
          env,
          timeoutMs: 180_000,
        });
        expect(run.code, run.stderr).toBe(exitCode);
        const plain = await runCli(["status", "pipelines/elle.yaml"], { cwd: root, env });
        const json = await runCli(["status", "pipelines/elle.yaml", "--json"], { cwd: root, env });
        const outputs = [run, plain, json].flatMap((r, i) => [
          { file: `command ${i} stdout`, text: r.stdout },
          { file: `command ${i} stderr`, text: r.stderr },
        ]);
        const files = await allFiles(root);
        // The check must look where the records are: the lockfile is among the files searched.
        expect(files.map((f) => path.relative(root, f.file))).toContain("pipelines/elle.lock.yaml");
        expect(leaks(canary, [...outputs, ...files])).toEqual([]);
      } finally {
        await service.close();
      }
    },
    240_000,
  );
});

describe("the leak search itself", () => {
  it("finds the whole key and a masked echo that keeps its tail", () => {
    const canary = "sk-canary-0123456789abcdef0123456789abcdef";
    expect(
      leaks(canary, [
        { file: "whole", text: `Bearer ${canary}` },
        { file: "masked", text: "Incorrect API key provided: sk-can*****************cdef0123456789abcdef" },
        { file: "clean", text: "Incorrect API key provided." },
      ]),
    ).toEqual(["whole", "masked"]);
  });
});
