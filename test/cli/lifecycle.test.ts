import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { elleProject } from "../helpers/project.js";

describe("provider lifecycle warnings", () => {
  it("plan --provider openai warns once, plainly, of OpenAI's fine-tuning cutoff with the alternatives", async () => {
    const root = await elleProject();
    // A base URL nobody listens on: plan makes no request, so the warning must come from the catalog alone.
    const env = { OPENAI_API_KEY: "sk-test-0123456789", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    const plan = await runCli(["plan", "pipelines/elle.yaml", "--provider", "openai"], { cwd: root, env });
    expect(plan.code).toBe(0);
    const warnings = plan.stderr.split("\n").filter((l) => l.startsWith("warning[provider-closing]"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/openai takes no new fine-tuning jobs (after|since) 2027-01-06/);
    expect(warnings[0]).toContain("together");
    expect(warnings[0]).toContain("https://platform.openai.com/docs/deprecations");
    // The local provider has no cutoff: no warning.
    const local = await runCli(["plan", "pipelines/elle.yaml"], { cwd: root });
    expect(local.stderr).not.toContain("provider-closing");
  }, 60_000);
});
