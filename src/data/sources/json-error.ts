/**
 * Where and why a JSON text is invalid. V8's JSON.parse messages on Node 20 often omit the position, and
 * "every error names the file and line" needs a column too, so this small scanner finds the first offending
 * character. It only runs after JSON.parse has already failed.
 */
export interface JsonErrorAt {
  /** 0-based offset into the text. */
  offset: number;
  message: string;
}

export function findJsonError(text: string): JsonErrorAt {
  let i = 0;
  let depth = 0;
  const fail = (message: string, at = i): never => {
    throw { offset: at, message } satisfies JsonErrorAt;
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const show = () => (i >= text.length ? "end of line" : `\`${text[i]}\``);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${show()}`);
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      const ch = text[i]!;
      if (ch === "\\") {
        const next = text[i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape");
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) fail("invalid escape in string");
        i += 2;
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) fail("control character in string (write it escaped, e.g. \\n)");
      i++;
    }
    if (i >= text.length) fail("unterminated string", start);
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === "" || m[0] === "-") fail(`unexpected ${show()}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if ((ch === "{" || ch === "[") && ++depth > 512) fail("nested more than 512 levels deep");
    if (ch === "{") container("}");
    else if (ch === "[") container("]");
    else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) number();
    else {
      if (ch === "'") fail("strings must use double quotes");
      fail(ch === undefined ? "unexpected end of line: the JSON value is incomplete" : `unexpected ${show()}`);
    }
  };
  /** The rest of an object or array, from its opening bracket: the two differ only in the key before each value. */
  const container = (close: "}" | "]") => {
    i++;
    ws();
    if (text[i] !== close) {
      for (;;) {
        ws();
        if (close === "}") {
          if (text[i] !== '"')
            fail(text[i] === "}" ? "trailing comma before `}`" : `expected a "key", found ${show()}`);
          string();
          ws();
          if (text[i] !== ":") fail(`expected \`:\` after the key, found ${show()}`);
          i++;
        } else if (text[i] === "]") fail("trailing comma before `]`");
        value();
        ws();
        if (text[i] !== ",") break;
        i++;
      }
      if (text[i] !== close) fail(`expected \`,\` or \`${close}\`, found ${show()}`);
    }
    i++;
    depth--;
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${show()} after the JSON value`);
  } catch (err) {
    if (typeof err === "object" && err !== null && "offset" in err) return err as JsonErrorAt;
    throw err;
  }
  // JSON.parse rejected it but the scanner did not: report V8's view at the start rather than invent a place.
  return { offset: 0, message: "invalid JSON" };
}

/** Line and 1-based column of an offset in a text that may span lines. */
export function lineColAt(text: string, offset: number): { lineOffset: number; col: number } {
  let lineOffset = 0;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === "\n") {
      lineOffset++;
      lineStart = k + 1;
    }
  }
  return { lineOffset, col: offset - lineStart + 1 };
}
