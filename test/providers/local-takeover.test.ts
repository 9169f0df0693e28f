import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import { resolveProvider } from "../../src/providers/resolve.js";
import { tempDir } from "../helpers/temp-dir.js";

function localProvider(root: string) {
  const config: Pipeline = {
    version: 1,
    name: "p",
    model: "gpt-4o-mini-2024-07-18",
    dataset: { train: "data/train.jsonl" },
    provider: { kind: "local" },
  };
  const choice = resolveProvider({ config, env: {}, root });
  if (!choice.ok) throw new Error("local did not resolve");
  return choice;
}

describe("the local provider shared by two runs of one project", () => {
  it("uses the server the first published, and takes the state over when that one is gone", async () => {
    const root = await tempDir();
    // The first run (e.g. of another pipeline in the project) owns the state directory's server.
    const first = await localProvider(root).connect();
    const second = await localProvider(root).connect();
    try {
      const file = await first.client.files.create({
        file: new File(['{"messages":[]}\n'], "a.jsonl"),
        purpose: "fine-tune",
      });
      // Borrowed: the second answers from the first's server.
      expect((await second.client.files.retrieve(file.id)).id).toBe(file.id);

      await first.close();
      // The first run ended and its server with it: the second starts its own on the same state and goes on.
      expect((await second.client.files.retrieve(file.id)).id).toBe(file.id);
      const third = await localProvider(root).connect();
      try {
        // And publishes it for the next one.
        expect((await third.client.files.list()).data.map((f) => f.id)).toContain(file.id);
      } finally {
        await third.close();
      }
    } finally {
      await second.close();
    }
  }, 30_000);
});
