/**
 * Whether a line of valid JSON is already what `JSON.stringify(JSON.parse(line))` gives back, decided in one
 * pass without building the string: no whitespace between tokens, only the escapes JSON.stringify writes
 * (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00xx` for other control characters), no integer-like keys (V8 moves
 * them first) and no duplicate keys in an object. It may answer false for a line that is compact (numbers with a
 * fraction or an exponent, `\u` escapes of lone surrogates): the caller then stringifies, so a false answer costs
 * time, never correctness. Only call it on a line that JSON.parse accepted.
 */
export function isCompactJson(line: string): boolean {
  // Keys seen per open object, to catch duplicates; undefined for arrays.
  const keys: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    switch (c) {
      case 0x7b: // {
        keys.push(new Set());
        expectKey = true;
        break;
      case 0x5b: // [
        keys.push(undefined);
        expectKey = false;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        keys.pop();
        expectKey = false;
        break;
      case 0x2c: // ,
        expectKey = keys[keys.length - 1] !== undefined;
        break;
      case 0x3a: // :
        expectKey = false;
        break;
      case 0x22: {
        // "
        const end = stringEnd(line, i + 1);
        if (end < 0) return false;
        if (expectKey) {
          const key = line.slice(i + 1, end);
          const seen = keys[keys.length - 1]!;
          if (seen.has(key) || isIndexLike(key)) return false;
          seen.add(key);
        }
        i = end;
        break;
      }
      case 0x74: // true
      case 0x6e: // null
        i += 3;
        break;
      case 0x66: // false
        i += 4;
        break;
      default: {
        // Integers of up to 15 digits print back as they are; whitespace, -0, fractions, exponents and longer
        // numbers are left to JSON.stringify.
        let end = c === 0x2d ? i + 1 : i;
        while (isDigit(line.charCodeAt(end))) end++;
        const next = line.charCodeAt(end);
        const digits = end - (c === 0x2d ? i + 1 : i);
        if (digits === 0 || digits > 15 || next === 0x2e || next === 0x65 || next === 0x45) return false;
        if (c === 0x2d && line.charCodeAt(i + 1) === 0x30) return false;
        i = end - 1;
      }
    }
  }
  return true;
}

/** The characters inside a string that need a look: its end, an escape, a surrogate. */
const STRING_SPECIAL = /["\\\ud800-\udfff]/g;

/** Index of the closing quote of a string starting at `from`, or -1 when it holds an escape JSON.stringify would not write. */
function stringEnd(line: string, from: number): number {
  // The regex skips ordinary characters natively: a loop over every character cost about 3 ms per MB.
  STRING_SPECIAL.lastIndex = from;
  for (let m = STRING_SPECIAL.exec(line); m !== null; m = STRING_SPECIAL.exec(line)) {
    const i = m.index;
    const c = line.charCodeAt(i);
    if (c === 0x22) return i;
    if (c !== 0x5c) {
      // JSON.stringify escapes a lone surrogate; a well-formed pair is kept as is.
      const next = line.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
      STRING_SPECIAL.lastIndex = i + 2;
      continue;
    }
    const e = line.charCodeAt(i + 1);
    if (e === 0x75) {
      // \u00xx is written only for control characters without a short escape, in lower case.
      const hex = line.slice(i + 2, i + 6);
      const code = Number.parseInt(hex, 16);
      if (hex !== hex.toLowerCase() || code >= 0x20 || SHORT_ESCAPES.has(code)) return -1;
      STRING_SPECIAL.lastIndex = i + 6;
    } else if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      STRING_SPECIAL.lastIndex = i + 2;
    } else {
      return -1;
    }
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Control characters JSON.stringify writes as \b, \t, \n, \f, \r. */
const SHORT_ESCAPES = new Set([8, 9, 10, 12, 13]);

/** Keys that V8 orders before all others (array indices): "0", "17", but not "017" or "-1". */
function isIndexLike(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return key === "0" || key.charCodeAt(0) !== 0x30;
}
