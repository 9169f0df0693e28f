import { describe, expect, it } from "vitest";
import type { ModelRecord } from "../../src/server/records.js";
import { Store } from "../../src/server/store.js";
import { tempDir } from "../helpers/temp-dir.js";

// Stored models are parsed on first use (src/server/store.ts); a reopened store must still hand out exactly
// what was saved, through every way the server reads a record.
describe("models in a reopened store", () => {
  it("are the saved records, keyed by id, whether read by field, spread or serialised", async () => {
    const dir = await tempDir();
    const record: ModelRecord = {
      model: {
        id: "ft:gpt-4o-mini-2024-07-18:local:elle:AbC/1:ckpt-step-10",
        object: "model",
        created: 1,
        owned_by: "org-local",
      },
      snapshot: {
        kind: "tunefile-tiny-lm",
        version: 1,
        baseModel: "gpt-4o-mini-2024-07-18",
        tables: { prev1: [[1, 2, [3]]] },
      },
      jobId: "ftjob-1",
      kind: "checkpoint",
    };
    const first = await Store.open(dir);
    await first.saveModel(record);
    await first.flush();

    const reopened = await Store.open(dir);
    expect([...reopened.models.keys()]).toEqual([record.model.id]);
    const loaded = reopened.models.get(record.model.id);
    expect(loaded?.snapshot).toEqual(record.snapshot);
    expect(loaded?.jobId).toBe("ftjob-1");
    expect({ ...loaded }).toEqual(record);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(record));
    // The same parsed object on every read, so a field read twice is not parsed twice.
    expect(loaded?.snapshot).toBe(loaded?.snapshot);
  });
});
