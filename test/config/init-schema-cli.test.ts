import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { REPO_ROOT, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("tunefile init", () => {
  it("writes a starter pipeline and sample data that load without problems", async () => {
    const cwd = await tempDir();
    const r = await runCli(["init", "pipelines/Support Bot.yaml"], { cwd });
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(
      [
        "wrote pipelines/Support Bot.yaml",
        "wrote pipelines/data/support-bot/train.jsonl (15 sample examples; replace them with yours)",
        "next: tunefile validate pipelines/Support Bot.yaml",
        "",
      ].join("\n"),
    );
    const text = await readFile(path.join(cwd, "pipelines/Support Bot.yaml"), "utf8");
    expect(text).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/node_modules\/tunefile\/schemas\/pipeline\.schema\.json\n/,
    );
    const loaded = await loadPipeline("pipelines/Support Bot.yaml", { cwd, env: {} });
    if (!loaded.ok) expect(renderDiagnostics(loaded.diagnostics, loaded.sources)).toBe("");
    expect(loaded.ok && loaded.pipeline.config.name).toBe("support-bot");
  });

  it("refuses to overwrite without --force (exit 2), and overwrites with it", async () => {
    const cwd = await tempDir();
    await runCli(["init", "p.yaml"], { cwd });
    await writeFile(path.join(cwd, "p.yaml"), "# mine\n");
    const refused = await runCli(["init", "p.yaml"], { cwd });
    expect(refused).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "tunefile init: p.yaml already exists; pass --force to overwrite it\n",
    });
    expect(await readFile(path.join(cwd, "p.yaml"), "utf8")).toBe("# mine\n");
    const forced = await runCli(["init", "p.yaml", "--force"], { cwd });
    expect(forced.code).toBe(0);
    // The sample data already exists, so only the pipeline is written again.
    expect(forced.stdout).toBe("wrote p.yaml\nnext: tunefile validate p.yaml\n");
    expect(await readFile(path.join(cwd, "p.yaml"), "utf8")).toContain("name: p\n");
  });
});

describe("tunefile schema", () => {
  it("prints the pipeline schema byte for byte", async () => {
    const r = await runCli(["schema"], { cwd: await tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(await readFile(path.join(REPO_ROOT, "schemas/pipeline.schema.json"), "utf8"));
  });

  it("prints the lockfile schema with --lockfile", async () => {
    const r = await runCli(["schema", "--lockfile"], { cwd: await tempDir() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).$id).toBe("https://tunefile.dev/schemas/lockfile.schema.json");
  });
});
