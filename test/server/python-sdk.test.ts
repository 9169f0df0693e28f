import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { capable } from "../helpers/capability.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { startTestServer } from "./server-fixture.js";

/**
 * The official openai Python SDK against the local server. Python with `openai` is not a dependency of tunefile:
 * TUNEFILE_TEST_PYTHON names an interpreter that has it (default: python3); without one these tests are skipped,
 * with the reason printed.
 */
const PYTHON = process.env.TUNEFILE_TEST_PYTHON ?? "python3";
const SCRIPTS = path.join(REPO_ROOT, "test/server/python");

function runPython(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(SCRIPTS, script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const withPythonSdk = capable("the openai Python SDK (set TUNEFILE_TEST_PYTHON)", () =>
  execFileSync(PYTHON, ["-c", "import openai, pydantic"], { stdio: "pipe" }),
);

describe.runIf(withPythonSdk)("the official Python SDK against the local server", () => {
  it("completes a 5-request batch with one output line per custom_id", async () => {
    const server = await startTestServer();
    try {
      const run = await runPython("batch.py", [server.url]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        status: "completed",
        counts: { total: 5, completed: 5, failed: 0 },
        custom_ids: ["req-0", "req-1", "req-2", "req-3", "req-4"],
      });
    } finally {
      await server.close();
    }
  }, 90_000);

  it("returns a parsed pydantic object from chat.completions.parse, a valid tool call for tool_choice=required, and output_text from responses.create", async () => {
    const server = await startTestServer();
    try {
      const run = await runPython("structured.py", [server.url]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const [first, second] = run.stdout.trimEnd().split("\n");
      const answered = JSON.parse(second ?? "{}") as { output_text: string; status: string };
      expect(answered.output_text.length).toBeGreaterThan(0);
      expect(["completed", "incomplete"]).toContain(answered.status);
      const seen = JSON.parse(first ?? "{}") as {
        parsed_type: string;
        parsed: { name: string; atomic_number: number; noble_gas: boolean; facts: { topic: string }[] };
        tool_finish: string;
        tool_name: string;
        tool_args: { symbol: string; unit: string };
      };
      expect(seen.parsed_type).toBe("Element");
      expect(typeof seen.parsed.name).toBe("string");
      expect(Number.isInteger(seen.parsed.atomic_number)).toBe(true);
      expect(typeof seen.parsed.noble_gas).toBe("boolean");
      expect(seen.parsed.facts.length).toBeGreaterThan(0);
      expect(seen.tool_finish).toBe("tool_calls");
      expect(seen.tool_name).toBe("lookup_element");
      expect(["celsius", "kelvin"]).toContain(seen.tool_args.unit);
      expect(typeof seen.tool_args.symbol).toBe("string");
    } finally {
      await server.close();
    }
  }, 90_000);

  it("fine-tunes meta-llama/Meta-Llama-3.1-8B-Instruct with LoRA through /nebius/v1 and chats with the result", async () => {
    const server = await startTestServer();
    try {
      const nebius = server.url.replace(/\/v1$/, "/nebius/v1");
      const run = await runPython("nebius.py", [
        nebius,
        path.join(REPO_ROOT, "pipelines/data/elle/training-data.jsonl"),
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const seen = JSON.parse(run.stdout) as { status: string; model: string; answer: string };
      expect(seen.status).toBe("succeeded");
      expect(seen.model).toMatch(/^ft:meta-llama\/Meta-Llama-3\.1-8B-Instruct:/);
      expect(seen.answer.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 180_000);
});
