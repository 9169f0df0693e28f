import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.js";

describe("tunefile --version", () => {
  it("prints the package version and exits 0", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default;
    const r = await runCli(["--version"], { cwd: REPO_ROOT });
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("exits 2 on an unknown command", async () => {
    const r = await runCli(["bogus"], { cwd: REPO_ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'bogus'\n");
  });
});
