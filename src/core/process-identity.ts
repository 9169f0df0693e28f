import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Who a process is, in a form that survives being written to a file and read back by another process: enough to
 * tell "that process is still running" from "its pid now belongs to someone else".
 */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /** Linux: /proc/sys/kernel/random/boot_id. Start times are only comparable within one boot. */
  boot_id?: string;
  /** Linux: field 22 of /proc/<pid>/stat, in clock ticks since boot. A reused pid has another one. */
  start_time?: string;
}

/** What /proc says about a pid, or nothing when it cannot be read. */
export type ProcStat = { state: string; startTime: string };

/**
 * This process. Start time and boot id are recorded only when this process's /proc describes its own pid
 * namespace: after `unshare --pid` without `--mount-proc`, /proc/self is the host's view (another pid than
 * process.pid), and a start time checked against the wrong /proc would call live holders dead.
 */
export function currentProcess(): ProcessIdentity {
  const self: ProcessIdentity = { pid: process.pid, hostname: hostname() };
  const bootId = readText("/proc/sys/kernel/random/boot_id")?.trim();
  const stat = readText("/proc/self/stat");
  const parsed = stat === undefined ? undefined : parseProcStat(stat);
  if (bootId && parsed && Number.parseInt(stat ?? "", 10) === process.pid) {
    self.boot_id = bootId;
    self.start_time = parsed.startTime;
  }
  return self;
}

/** /proc/<pid>/stat of a pid of this host, or undefined when there is no such process (or no /proc). */
export function procStat(pid: number): ProcStat | undefined {
  const text = readText(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseProcStat(text);
}

/**
 * Parses /proc/<pid>/stat: "pid (comm) state ppid …". comm is the executable's name as the process chose it and may
 * hold spaces and parentheses ("(a) b)"), so the fields are counted from the LAST ')': after it come field 3
 * (state) onwards, which puts field 22 (starttime) at index 19.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = fields[0];
  const startTime = fields[19];
  if (!state || !startTime || !/^\d+$/.test(startTime)) return undefined;
  return { state, startTime };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    // No /proc (macOS, Windows), or no such process.
    return undefined;
  }
}

/** Whether the process a lock names still runs: checked, checked gone, or not checkable from here. */
export type Liveness = "running" | "gone" | "unknown";

/**
 * Checks `holder` from `self`. On Linux, on the same host and boot, the answer is certain: the pid must exist, not
 * be a zombie (a killed process stays one until its parent reaps it, and kill(pid, 0) succeeds on it), and have the
 * recorded start time (else the pid was reused, e.g. pid 1 of the next container's PID namespace). Another host
 * name or boot id, or a system without /proc, cannot be checked: "unknown", and the caller judges by heartbeat,
 * except that a pid that does not exist at all on this host is gone.
 *
 * Known limit: two live processes in sibling PID namespaces (containers) that share a host name and a directory
 * see each other's pid as someone else's; container runtimes give each container its own host name by default.
 */
export function checkProcess(holder: ProcessIdentity, self: ProcessIdentity): Liveness {
  if (holder.hostname !== self.hostname) return "unknown";
  const comparable = self.boot_id !== undefined && self.start_time !== undefined && holder.start_time !== undefined;
  if (comparable && holder.boot_id === self.boot_id) {
    const stat = procStat(holder.pid);
    // No /proc entry: gone, unless /proc hides other users' processes (hidepid) and the pid does exist.
    if (!stat) return signalProbe(holder.pid) === "exists" ? "unknown" : "gone";
    if (stat.state === "Z" || stat.state === "X") return "gone";
    return stat.startTime === holder.start_time ? "running" : "gone";
  }
  if (holder.boot_id !== undefined && self.boot_id !== undefined && holder.boot_id !== self.boot_id) return "unknown";
  return signalProbe(holder.pid) === "missing" ? "gone" : "unknown";
}

/** kill(pid, 0): "exists" also for a zombie and for another user's process (EPERM). */
function signalProbe(pid: number): "exists" | "missing" {
  if (!Number.isInteger(pid) || pid <= 0) return "missing";
  try {
    process.kill(pid, 0);
    return "exists";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" ? "exists" : "missing";
  }
}
