import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach } from "vitest";

/**
 * How long a temp directory lives: "test" removes it after the current test; "file" after the whole test file, for
 * a directory that a beforeAll seeds or that the tests of an `it.concurrent` group share (removing it after each
 * test would pull it from under the others).
 */
export type Lifetime = "test" | "file";

const created: Record<Lifetime, string[]> = { test: [], file: [] };

/** A fresh temp directory, removed at the end of its lifetime. The one place the tests make temp directories. */
export async function tempDir(prefix = "tunefile-test-", lifetime: Lifetime = "test"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created[lifetime].push(dir);
  return dir;
}

const removeAll = (dirs: string[]) => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));

afterEach(() => removeAll(created.test));
afterAll(() => removeAll(created.file));
