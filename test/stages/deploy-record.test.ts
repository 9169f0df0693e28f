import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type DeploymentEntry,
  pushDeployment,
  readDeployments,
  rollbackDeployment,
  writeDeployments,
} from "../../src/deploy/record.js";
import { tempDir } from "../helpers/temp-dir.js";

const entry = (model: string, at: string, fingerprint = `fp-${model}`): DeploymentEntry => ({
  model,
  fingerprint,
  deployed_at: at,
});

describe("deployment records", () => {
  it("keeps every earlier target, newest first, and logs each deploy", () => {
    const one = pushDeployment(undefined, "elle-production", "elle", entry("m1", "t1"));
    const two = pushDeployment(one.record, "elle-production", "elle", entry("m2", "t2"));
    const three = pushDeployment(two.record, "elle-production", "elle", entry("m3", "t3"));
    expect(three.record).toEqual({
      alias: "elle-production",
      pipeline: "elle",
      current: entry("m3", "t3"),
      history: [entry("m2", "t2"), entry("m1", "t1")],
      log: [
        { action: "deploy", model: "m1", at: "t1" },
        { action: "deploy", model: "m2", at: "t2" },
        { action: "deploy", model: "m3", at: "t3" },
      ],
    });
  });

  it("does not grow the history when the same model is deployed again", () => {
    const one = pushDeployment(undefined, "a", "elle", entry("m1", "t1"));
    const again = pushDeployment(one.record, "a", "elle", entry("m1", "t9"));
    expect(again.changed).toBe(false);
    expect(again.record).toBe(one.record);
    // Re-evaluated (new fingerprint): the current entry is updated in place, still deployed since t1.
    const reevaluated = pushDeployment(one.record, "a", "elle", entry("m1", "t9", "fp-new"));
    expect(reevaluated.changed).toBe(true);
    expect(reevaluated.record.current).toEqual(entry("m1", "t1", "fp-new"));
    expect(reevaluated.record.history).toEqual([]);
    expect(reevaluated.record.log).toHaveLength(1);
  });

  it("rolls back one step at a time, records it, and stops at the first deployment", () => {
    let record = pushDeployment(undefined, "a", "elle", entry("m1", "t1")).record;
    record = pushDeployment(record, "a", "elle", entry("m2", "t2")).record;
    record = pushDeployment(record, "a", "elle", entry("m3", "t3")).record;

    const back = rollbackDeployment(record, "t4");
    if (!back.ok) throw new Error(back.message);
    expect(back.record.current).toEqual(entry("m2", "t4"));
    expect(back.record.history).toEqual([entry("m1", "t1")]);
    expect(back.record.log.at(-1)).toEqual({ action: "rollback", from: "m3", to: "m2", at: "t4" });

    const again = rollbackDeployment(back.record, "t5");
    if (!again.ok) throw new Error(again.message);
    expect(again.record.current?.model).toBe("m1");
    expect(rollbackDeployment(again.record, "t6")).toEqual({
      ok: false,
      message: "alias a has no earlier deployment to roll back to",
    });
  });

  it("a write removes the temp file a writer killed mid-write left in the deployments folder", async () => {
    const dir = await tempDir("tunefile-deploy-");
    const file = path.join(dir, "elle.json");
    // The name our atomic write gives its temp file; a SIGKILL between write and rename leaves it behind.
    await writeFile(path.join(dir, ".elle.json.4242.0badf00d.tmp"), '{"alias": "half');
    const { record } = pushDeployment(undefined, "elle-production", "elle", entry("m1", "t1"));
    await writeDeployments(file, record);
    expect(await readdir(dir)).toEqual(["elle.json"]);
    expect(await readDeployments(file)).toEqual(record);
  });
});
