import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { runCli } from "../helpers/cli.js";
import { fixedResults } from "../report/fixture.js";
import { projectWith } from "../helpers/project.js";
import { waitFor } from "../helpers/wait-for.js";

const PIPELINE = `version: 1
name: elle
model: gpt-4o-mini-2024-07-18
dataset:
  train: data/elle/training-data.jsonl
evaluation:
  prompts:
    - user: "Tell me about Neon"
`;

describe("tunefile report", () => {
  it("rewrites the reports from recorded results without a provider, and --open hands report.html to $BROWSER", async () => {
    const root = await projectWith(PIPELINE);
    await mkdir(path.join(root, ".tunefile/elle/eval"), { recursive: true });
    await writeFile(path.join(root, ".tunefile/elle/eval/results.json"), JSON.stringify(fixedResults()));
    await writeFile(
      path.join(root, ".tunefile/elle/metrics.csv"),
      "step,train_loss,train_accuracy\n1,2.0,0.2\n2,1.0,0.5\n",
    );
    const browser = path.join(root, "browser.sh");
    await writeFile(browser, `#!/bin/sh\necho "$1" > "${path.join(root, "opened.txt")}"\n`);
    await chmod(browser, 0o755);

    const r = await runCli(["report", "pipelines/p.yaml", "--open"], { cwd: root, env: { BROWSER: browser } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(-4)).toEqual([
      "wrote reports/elle/report.md",
      "wrote reports/elle/report.html",
      "wrote reports/elle/results.json",
      "",
    ]);
    expect(r.stdout).toContain("Training loss  █▁  2.000 → 1.000 over 2 steps");
    expect(await readFile(path.join(root, "reports/elle/report.md"), "utf8")).toBe(renderMarkdown(fixedResults()));
    const html = await readFile(path.join(root, "reports/elle/report.html"), "utf8");
    expect(html).toContain('<table id="side-by-side">');
    expect(html).toContain('data-series="train loss"');

    // The browser is started detached: wait for it to write what it was asked to open.
    const opened = await waitFor(
      async () => (await readFile(path.join(root, "opened.txt"), "utf8").catch(() => "")) || undefined,
      {
        what: "the stand-in browser to record the file it was asked to open",
        timeoutMs: 5_000,
      },
    );
    expect(opened.trim()).toBe(path.join(root, "reports/elle/report.html"));
  });

  it("says what to do when nothing was evaluated yet", async () => {
    const root = await projectWith(PIPELINE);
    const r = await runCli(["report", "pipelines/p.yaml"], { cwd: root });
    expect(r).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        "tunefile report: no evaluation results in .tunefile/elle/eval/results.json (evaluate writes them on the machine it runs on); run `tunefile run pipelines/p.yaml`, with `--from evaluate` if it ran elsewhere\n",
    });
  });
});
