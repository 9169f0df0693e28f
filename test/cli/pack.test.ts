import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

/**
 * The package as a user gets it: `npm pack` of this checkout (dist/ is built by `npm test` first, so the pack skips
 * `prepare`), unpacked into node_modules/tunefile of a new empty project outside the clone. Its dependencies are
 * linked from this checkout's node_modules instead of installed, so the test never reaches the registry;
 * scripts/check-pack.sh does the full install from the registry.
 */
let work: string;
let project: string;
let packed: string[];

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "tunefile-pack-"));
  const [info] = JSON.parse(sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO_ROOT));
  packed = (info.files as { path: string }[]).map((f) => f.path);
  project = path.join(work, "project");
  await mkdir(path.join(project, "node_modules"), { recursive: true });
  sh("tar", ["xzf", path.join(work, info.filename), "-C", work], work);
  const pkg = path.join(project, "node_modules/tunefile");
  await rename(path.join(work, "package"), pkg);
  await symlink(path.join(REPO_ROOT, "node_modules"), path.join(pkg, "node_modules"), "dir");
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("ships the built CLI and everything the README links to, and no example lockfile", async () => {
    expect(packed).toContain("dist/cli/main.js");
    expect(packed).toContain("bin/tunefile.js");
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((l) => !packed.includes(l))).toEqual([]);
    expect(packed.filter((f) => f.endsWith(".lock.yaml"))).toEqual([]);
  });

  it("init in a new empty project writes a starter that runs offline to exit 0, and its gate checks content", async () => {
    const bin = path.join(project, "node_modules/tunefile/bin/tunefile.js");
    const init = spawnSync(process.execPath, [bin, "init"], { cwd: project, encoding: "utf8" });
    expect(init.status, init.stderr).toBe(0);
    const starter = await readFile(path.join(project, "pipelines/pipeline.yaml"), "utf8");
    // What the starter points to exists in the installed package.
    const schema = /\$schema=(\S+)/.exec(starter)?.[1];
    expect(schema).toBe("../node_modules/tunefile/schemas/pipeline.schema.json");
    expect(existsSync(path.join(project, "pipelines", schema!))).toBe(true);
    expect(starter).toContain("node_modules/tunefile/docs/pipeline.md");
    expect(existsSync(path.join(project, "node_modules/tunefile/docs/pipeline.md"))).toBe(true);

    // No key in the environment: the built-in local provider, offline.
    const run = spawnSync(process.execPath, [bin, "run", "pipelines/pipeline.yaml"], {
      cwd: project,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      timeout: 120_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("Gate passed");

    // The gate passed on content: every fine-tuned answer names the city its prompt asked for, and the base
    // model's answers, which mention the city but are not confirmations, fail.
    const results = JSON.parse(await readFile(path.join(project, ".tunefile/pipeline/eval/results.json"), "utf8"));
    const users = new Map<string, string>(results.prompts.map((p: { id: string; user: string }) => [p.id, p.user]));
    const cells = results.cells as { candidate: string; prompt: string; output: string; pass: boolean }[];
    const tuned = cells.filter((c) => c.candidate === "fine_tuned");
    expect(tuned.length).toBeGreaterThan(0);
    for (const cell of tuned.filter((c) => c.pass)) {
      const city = /to (\w+)\.$/.exec(users.get(cell.prompt) ?? "")?.[1];
      expect(city).toBeDefined();
      expect(cell.output).toContain(city);
    }
    expect(cells.filter((c) => c.candidate === "base" && c.pass)).toEqual([]);
  }, 150_000);
});
