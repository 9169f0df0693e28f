import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { UNIT_TESTS } from "../../vitest.unit.config.js";
import { REPO_ROOT } from "./paths.js";
import { impurities } from "./unit-set.js";

const files = globSync(UNIT_TESTS, { cwd: REPO_ROOT }).sort();

describe("the unit set (npm run test:unit)", () => {
  it("matches the pure test files it was written for", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)("%s starts no child process, server or built worker", (file) => {
    expect(impurities(file)).toEqual([]);
  });

  it("the check does catch each kind of impurity", () => {
    expect(impurities("test/server/chat.test.ts")).toContain("test/server/server-fixture.ts is reached");
    expect(impurities("test/cli/version.test.ts")).toContain("test/helpers/cli.ts imports node:child_process");
    expect(impurities("test/report/html-chromium.test.ts")).toContain(
      "test/helpers/chromium.ts imports playwright-core",
    );
    expect(impurities("test/engine/lockfile.test.ts").some((p) => p.includes("loads the build (dist/)"))).toBe(true);
    expect(impurities("test/providers/errors.test.ts")).toContain("test/providers/errors.test.ts imports node:http");
  });
});
