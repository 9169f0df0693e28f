import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const created: string[] = [];

/**
 * A temp directory removed after the whole file, not after each test: test/helpers/temp-dir.ts cleans up after
 * every test, which would pull the directory from under the other tests of an `it.concurrent` group.
 */
export async function scratchDir(prefix = "tunefile-reliability-"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
