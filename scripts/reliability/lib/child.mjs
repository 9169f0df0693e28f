import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

/** A run that takes longer than this is a hang, and the trial fails. */
const RUN_TIMEOUT_MS = 180_000;

/** The crash project sends its files through the Uploads API in 1,048-byte parts (the schema allows any size > 0). */
export const UPLOAD_IN_PARTS = ["-S", "upload.multipart_above_mb=0.001", "-S", "upload.part_size_mb=0.001"];

/** The refusals of a rerun that a dead holder's lock causes: the run lock's and the local server's state lock's. */
export const REFUSAL = /already running|in use by another local server/;

const NAMESPACE = ["--pid", "--fork", "--mount-proc", "--kill-child"];

/**
 * Whether runs can go into a fresh PID namespace here (as root, where the kernel and the container allow it).
 * Returns `{ ok: true }` or `{ ok: false, reason }` with unshare's own message.
 */
export function probeNamespace() {
  const probe = spawnSync("unshare", [...NAMESPACE, "true"], { encoding: "utf8" });
  if (probe.error) return { ok: false, reason: `unshare: ${probe.error.message}` };
  if (probe.status !== 0) return { ok: false, reason: (probe.stderr || `unshare exited ${probe.status}`).trim() };
  return { ok: true };
}

/**
 * Runs `tunefile run pipelines/elle.yaml --yes --json` in `root`, in its own process group (and, with `namespace`,
 * as PID 1 of a fresh PID namespace, as in a container). With a `plan` (lib/windows.mjs), SIGKILLs the whole group
 * `plan.delayMs` after the first event for which `plan.fires` is true. Resolves once the child is gone, with its
 * exit, output, events, and whether the kill was sent.
 */
export function runOnce({ root, binRoot, env, plan, namespace }) {
  const node = [process.execPath, path.join(binRoot, "bin/tunefile.js"), "run", "pipelines/elle.yaml"];
  const argv = [...node, "--yes", "--json", ...UPLOAD_IN_PARTS];
  const [command, ...args] = namespace ? ["unshare", ...NAMESPACE, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const events = [];
    let stdout = "";
    let stderr = "";
    let buffered = "";
    let timer;
    let killed = false;
    let openedBy;
    const killGroup = () => {
      killed = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    child.stdout.on("data", (d) => {
      stdout += d;
      buffered += d;
      let nl = buffered.indexOf("\n");
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        events.push(event);
        if (plan && openedBy === undefined && plan.fires(event)) {
          openedBy = event;
          timer = setTimeout(killGroup, plan.delayMs);
        }
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    const hang = setTimeout(killGroup, RUN_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hang);
      // A kill sent just after the child exited by itself does not count.
      const died = killed && signal === "SIGKILL";
      const hung = died && openedBy === undefined;
      resolve({ code, signal, stdout, stderr, events, killed: died && !hung, openedBy, hung, closedAt: Date.now() });
    });
  });
}
