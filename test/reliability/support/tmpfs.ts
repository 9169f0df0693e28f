import { execFileSync } from "node:child_process";
import { mkdtempSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Mounts a tmpfs of `sizeKb` at `dir` (needs root, or CAP_SYS_ADMIN). */
export function mountTmpfs(dir: string, sizeKb: number): void {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], { stdio: "pipe" });
}

export function remountReadOnly(dir: string): void {
  execFileSync("mount", ["-o", "remount,ro", dir], { stdio: "pipe" });
}

export function unmount(dir: string): void {
  execFileSync("umount", [dir], { stdio: "pipe" });
}

/** Mounts and unmounts a small tmpfs; throws (with mount's message) where this process may not. */
export function probeTmpfs(): void {
  const dir = mkdtempSync(path.join(tmpdir(), "tunefile-mount-probe-"));
  try {
    mountTmpfs(dir, 64);
    unmount(dir);
  } finally {
    rmdirSync(dir);
  }
}
