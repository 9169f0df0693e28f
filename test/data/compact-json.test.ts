import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCompactJson } from "../../src/data/compact-json.js";

// The prepare stage copies a line's bytes as read when isCompactJson says so, instead of re-serializing it.
// That is only right if a true answer always means JSON.stringify(JSON.parse(line)) === line.
describe("isCompactJson", () => {
  const sound = (line: string) => {
    if (isCompactJson(line)) expect(JSON.stringify(JSON.parse(line))).toBe(line);
  };

  it("never says true for a line that re-serializes differently", () => {
    const spaced = fc.tuple(fc.json(), fc.integer({ min: 0, max: 2 })).map(([j, indent]) => {
      // Re-format with spacing sometimes, so both compact and non-compact lines are drawn.
      return indent === 0 ? j : JSON.stringify(JSON.parse(j), null, indent).replaceAll("\n", " ");
    });
    fc.assert(fc.property(spaced, sound), { numRuns: 5000, seed: 20261203 });
    fc.assert(
      fc.property(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        sound,
      ),
      { numRuns: 5000, seed: 7 },
    );
  });

  it("says true for ordinary compact chat lines, and false for each kind of difference", () => {
    const line = JSON.stringify({
      messages: [
        { role: "user", content: 'Größe "中文" 😀\n\ttab \u0001', weight: 0 },
        { role: "assistant", content: "ok", n: -12, t: true, f: false, z: null },
      ],
    });
    expect(isCompactJson(line)).toBe(true);
    for (const other of [
      '{"a": 1}',
      '{"a":1.0}',
      '{"a":1e5}',
      '{"a":-0}',
      '{"a":12345678901234567890}',
      '{"a":"\\/"}',
      '{"a":"\\u00e9"}',
      '{"a":"\\u001F"}',
      '{"a":"\\u000a"}',
      '{"b":1,"1":2}',
      '{"a":1,"a":2}',
      "[1, 2]",
    ]) {
      expect([other, isCompactJson(other)]).toEqual([other, false]);
      expect(JSON.stringify(JSON.parse(other))).not.toBe(other);
    }
  });
});
