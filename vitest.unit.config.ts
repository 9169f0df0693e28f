import { defineConfig } from "vitest/config";

/**
 * `npm run test:unit`: the fast inner loop. Only tests that start no child process, no server and no worker built
 * in dist/, so it needs no build. `npm test` (vitest.config.ts) stays the complete suite. test/helpers/unit-set.test.ts
 * fails when a file matched here reaches a child process, a server or the build, so the set cannot drift.
 */
export const UNIT_TESTS = [
  "test/architecture/**/*.test.ts",
  "test/config/{docs,golden,load-pipeline,schema-drift,schema-errors,schema-shape}.test.ts",
  "test/data/{analyze-jsonl,compact-json,digest-set,format-checks,prices,stats-cost,tokens,transforms}.test.ts",
  "test/data/sources/**/*.test.ts",
  "test/diagnostics/**/*.test.ts",
  "test/engine/{executor,fingerprint,plan,retry}.test.ts",
  "test/cli/reporters.test.ts",
  "test/eval/**/*.test.ts",
  "test/helpers/**/*.test.ts",
  "test/perf-startup/store-models.test.ts",
  "test/reliability/fuzz.test.ts",
  "test/report/{html,loss-check,markdown}.test.ts",
  "test/server/trainer/**/*.test.ts",
  "test/stages/{deploy-record,prepare}.test.ts",
];

export default defineConfig({
  test: {
    include: UNIT_TESTS,
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
