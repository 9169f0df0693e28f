import { describe, expect, it } from "vitest";
import { fineTuningLifecycle } from "../../src/core/catalog/lifecycle.js";

describe("fine-tuning lifecycle", () => {
  it("is quiet far from a closing, warns within 90 days, and reports it closed after the last day", () => {
    expect(fineTuningLifecycle("openai", new Date("2026-09-01T00:00:00Z"))).toEqual({ kind: "open" });
    const soon = fineTuningLifecycle("openai", new Date("2026-12-02T12:00:00Z"));
    expect(soon.kind).toBe("closing");
    expect(soon.kind !== "open" && soon.message).toMatch(
      /^openai takes no new fine-tuning jobs after 2027-01-06 \(in 36 days\)/,
    );
    expect(soon.kind !== "open" && soon.message).toContain("https://platform.openai.com/docs/deprecations");
    const lastDay = fineTuningLifecycle("openai", new Date("2027-01-06T23:00:00Z"));
    expect(lastDay.kind).toBe("closing");
    const after = fineTuningLifecycle("openai", new Date("2027-01-07T00:00:01Z"));
    expect(after.kind).toBe("closed");
    expect(after.kind !== "open" && after.message).toMatch(
      /since 2027-01-06; switch with `provider: \{ kind: together \}` \(or azure, nebius\); docs\/migrating-from-openai.md/,
    );
    for (const provider of ["azure", "together", "nebius", "local", "openai-compatible"]) {
      expect(fineTuningLifecycle(provider, new Date("2027-06-01T00:00:00Z"))).toEqual({ kind: "open" });
    }
  });
});
