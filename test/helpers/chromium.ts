import { existsSync } from "node:fs";
import { mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import sparticuz from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

/** A Chromium installed by the system package manager, used when present (Debian: chromium, Ubuntu: chromium-browser). */
const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

const SYSTEM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ChromiumChoice {
  source: "system" | "npm";
  executablePath: string;
  args: string[];
}

/**
 * The Chromium the browser tests drive: the system's when one is installed, otherwise the binary that
 * `@sparticuz/chromium` ships inside its npm tarball, so `npm install && npm test` needs nothing installed by hand.
 */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const system = SYSTEM_CHROMIUM.find((p) => existsSync(p));
  if (system) return { source: "system", executablePath: system, args: SYSTEM_ARGS };
  return { source: "npm", executablePath: await npmChromium(), args: sparticuz.args };
}

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  return chromium.launch({ executablePath: choice.executablePath, args: choice.args });
}

/**
 * The package inflates its brotli archives into os.tmpdir() on first use and reuses whatever `/tmp/chromium` holds,
 * even a half-written file from a concurrent run. Inflate into a private staging directory instead and rename it
 * into a cache named after the package version, so a reader only ever sees a complete binary.
 */
async function npmChromium(): Promise<string> {
  const version = await packageVersion();
  const cache = path.join(tmpdir(), `tunefile-chromium-${version}`);
  const binary = path.join(cache, "chromium");
  if (existsSync(binary)) return binary;

  const staging = await mkdtemp(path.join(tmpdir(), "tunefile-chromium-staging-"));
  const savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging; // the package reads os.tmpdir() at call time
  try {
    await sparticuz.executablePath();
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  }
  try {
    await rename(staging, cache);
  } catch (err) {
    // Another run renamed its copy first; theirs is complete, so use it.
    if (!existsSync(binary)) throw err;
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}

/** The package exports no ./package.json, so find it from its entry point (build/cjs/index.cjs). */
async function packageVersion(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
  const manifest = JSON.parse(await readFile(path.join(path.dirname(entry), "../../package.json"), "utf8"));
  return manifest.version as string;
}
