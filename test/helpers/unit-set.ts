import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./paths.js";

/** Modules whose import means starting processes, threads or servers, or driving a browser. */
const PROCESS_MODULES = ["child_process", "cluster", "worker_threads", "http", "https", "http2", "net"];
const BROWSER_MODULES = ["playwright-core", "@sparticuz/chromium"];
/**
 * src/ may use worker_threads: its pools start workers only when asked for at least one (`workers` options, the
 * server's training), which the tests in the unit set never do; a test that does is not a unit test.
 */
const SRC_ALLOWED = new Set(["worker_threads"]);
/** Project files that exist to start a server or a CLI process. */
const FORBIDDEN_FILES = [
  "src/server/app.ts",
  "test/helpers/cli.ts",
  "test/server/server-fixture.ts",
  "test/providers/harness.ts",
  "test/eval/engine-harness.ts",
];
/** Test code that loads the build (dist/) or starts a server by hand. */
const FORBIDDEN_TEXT: [RegExp, string][] = [
  [/["'`](?:[^"'`\n]*\/)?dist(?:\/|["'`])/, "loads the build (dist/)"],
  [/\bstartLocalServer\b/, "starts the local server"],
  [/\.listen\(/, "listens on a port"],
];

const IMPORT =
  /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;

/**
 * Why `testFile` cannot be in the unit set: every child process, server, worker or build that its static imports
 * reach, transitively through the project's own files. Empty when it is a pure unit test.
 */
export function impurities(testFile: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const stack = [path.resolve(REPO_ROOT, testFile)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = path.relative(REPO_ROOT, file);
    if (FORBIDDEN_FILES.includes(rel)) problems.push(`${rel} is reached`);
    const text = readFileSync(file, "utf8");
    const isTest = rel.startsWith("test/");
    if (isTest) for (const [re, why] of FORBIDDEN_TEXT) if (re.test(text)) problems.push(`${rel} ${why}`);
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith(".")) {
        const target = resolveLocal(path.resolve(path.dirname(file), spec));
        if (target) stack.push(target);
        continue;
      }
      const name = spec.replace(/^node:/, "");
      if (
        BROWSER_MODULES.includes(name) ||
        (PROCESS_MODULES.includes(name) && !(isTest === false && SRC_ALLOWED.has(name)))
      ) {
        problems.push(`${rel} imports ${spec}`);
      }
    }
  }
  return problems;
}

/** A relative import as the TypeScript sources resolve it: `./x.js` is `./x.ts` when that exists. Data files are skipped. */
function resolveLocal(p: string): string | undefined {
  if (p.endsWith(".js") && existsSync(p.replace(/\.js$/, ".ts"))) return p.replace(/\.js$/, ".ts");
  if (/\.(?:[cm]?[jt]s)$/.test(p) && existsSync(p)) return p;
  return undefined;
}
