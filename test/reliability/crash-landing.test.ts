import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

/**
 * How the crash suite judges where a kill landed (scripts/reliability/lib/landing.mjs): a kill counts as inside a
 * stage only while the stage has neither printed its end nor recorded its outcome in the lockfile.
 */
type Event = { type: string; stage?: string };
type Landing = { stage: string; inStage?: boolean; at?: string };
const { landing } = (await import(pathToFileURL(path.join(REPO_ROOT, "scripts/reliability/lib/landing.mjs")).href)) as {
  landing(events: Event[], lockfile: unknown): Landing;
};

const start = (stage: string): Event => ({ type: "stage-start", stage });
const end = (stage: string): Event => ({ type: "stage-end", stage });
const progress = (stage: string): Event => ({ type: "stage-progress", stage });
const lock = (statuses: Record<string, string>) => ({
  stages: Object.fromEntries(Object.entries(statuses).map(([s, status]) => [s, { status }])),
});

describe("where a crash-suite kill landed", () => {
  it("inside a stage that started and has recorded nothing", () => {
    const events = [start("prepare"), end("prepare"), start("upload"), progress("upload")];
    expect(landing(events, lock({ prepare: "succeeded", upload: "running" }))).toEqual({
      stage: "upload",
      inStage: true,
    });
  });

  it("at the end when the stage printed its end, before the next one started", () => {
    const events = [start("prepare"), end("prepare"), start("upload"), end("upload")];
    expect(landing(events, lock({ prepare: "succeeded", upload: "succeeded" }))).toEqual({
      stage: "upload",
      inStage: false,
      at: "end",
    });
  });

  it("at the end when the lockfile records the outcome but the end event was not printed yet", () => {
    const events = [start("deploy"), progress("deploy")];
    expect(landing(events, lock({ deploy: "succeeded" }))).toEqual({ stage: "deploy", inStage: false, at: "end" });
  });

  it("at start-up when no stage had started", () => {
    expect(landing([{ type: "plan" }], undefined)).toEqual({ stage: "startup" });
  });
});
