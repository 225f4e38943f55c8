/**
 * JSON as the upstream runner (serde_json) reads it, for judging adapter output: integers and
 * floats stay distinct (`1` ≠ `1.0`), a document must be exactly one value, and errors carry a
 * line and column like serde's.
 *
 * @module
 */

/** A JSON number, keeping whether it was written as an integer. */
export interface ExactNumber {
  /** `int` for a plain integer literal within u64/i64, `float` otherwise (serde's rule). */
  kind: "int" | "float";
  /** The value, exact for integers. */
  value: bigint | number;
}

/** A JSON value with exact numbers. Objects are maps: key order is not part of equality. */
export type ExactJson =
  | null
  | boolean
  | string
  | ExactNumber
  | ExactJson[]
  | Map<string, ExactJson>;

/** A document that is not one JSON value. */
export class ExactJsonError extends Error {
  /** Whether a complete value was followed by more than whitespace. */
  readonly trailing: boolean;

  /**
   * @param message serde-style text, such as `expected value at line 1 column 1`.
   * @param trailing Whether the problem is output after a complete value.
   */
  constructor(message: string, trailing = false) {
    super(message);
    this.trailing = trailing;
  }
}

const RECURSION_LIMIT = 128;
const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);

/**
 * Parses a whole document: one value, optionally surrounded by JSON whitespace. A BOM is an
 * error, and a duplicate key keeps the last value, as in serde_json.
 *
 * @param text The document.
 * @returns The value.
 * @throws {ExactJsonError} on anything else.
 */
export function parseExact(text: string): ExactJson {
  let i = 0;
  const position = (at: number): string => {
    let line = 1;
    let column = 0;
    for (let j = 0; j < at && j < text.length; j++) {
      if (text[j] === "\n") [line, column] = [line + 1, 0];
      else column++;
    }
    return `line ${line} column ${column}`;
  };
  const fail = (what: string, at = i + 1): never => {
    throw new ExactJsonError(`${what} at ${position(at)}`);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (depth: number): ExactJson => {
    ws();
    if (i >= text.length) return fail("EOF while parsing a value", i);
    const c = text[i]!; // i < text.length, checked above
    if (c === "{" || c === "[") {
      if (depth >= RECURSION_LIMIT) fail("recursion limit exceeded");
      return c === "{" ? object(depth + 1) : array(depth + 1);
    }
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail("tfn".includes(c) ? "expected ident" : "expected value");
  };
  const object = (depth: number): Map<string, ExactJson> => {
    const out = new Map<string, ExactJson>();
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (i >= text.length) fail("EOF while parsing an object", i);
      if (text[i] !== '"') fail("key must be a string");
      const k = string();
      ws();
      if (text[i] !== ":") {
        fail(
          i >= text.length ? "EOF while parsing an object" : "expected `:`",
          i >= text.length ? i : i + 1,
        );
      }
      i++;
      out.set(k, value(depth));
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail(
        i >= text.length ? "EOF while parsing an object" : "expected `,` or `}`",
        i >= text.length ? i : i + 1,
      );
    }
  };
  const array = (depth: number): ExactJson[] => {
    const out: ExactJson[] = [];
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(depth));
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail(
        i >= text.length ? "EOF while parsing a list" : "expected `,` or `]`",
        i >= text.length ? i : i + 1,
      );
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail("EOF while parsing a string", i);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail("control character (\\u0000-\\u001F) found while parsing a string");
      i += c === 0x5c ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      return fail("invalid escape", i);
    }
  };
  const number = (): ExactNumber => {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (match === null) return fail("invalid number");
    i += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const n = BigInt(match[0]);
      if (n >= I64_MIN && n <= U64_MAX) return { kind: "int", value: n };
    }
    return { kind: "float", value: Number(match[0]) };
  };
  const result = value(0);
  ws();
  if (i < text.length) {
    throw new ExactJsonError(`trailing characters at ${position(i + 1)}`, true);
  }
  return result;
}

/**
 * serde_json's equality: maps by key regardless of order, arrays by position, an integer never
 * equal to a float, floats by value.
 *
 * @param a A value.
 * @param b Another.
 * @returns Whether they are equal.
 */
export function exactEqual(a: ExactJson, b: ExactJson): boolean {
  if (a === null || typeof a !== "object") return a === b;
  if (b === null || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, k) => exactEqual(x, b[k]!));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const w = b.get(k);
      if (w === undefined || !exactEqual(v, w)) return false;
    }
    return true;
  }
  if (Array.isArray(b) || b instanceof Map) return false;
  return a.kind === b.kind && a.value === b.value;
}

/**
 * The plain JSON value (objects as records; integers beyond 2^53−1 as `bigint`).
 *
 * @param value An exact value.
 * @param onFloat Told where each number written as a float (`1.0`) landed in the plain value.
 * @returns The plain value.
 */
export function toPlain(
  value: ExactJson,
  onFloat?: (container: object, key: string | number) => void,
): unknown {
  if (value === null || typeof value !== "object") return value;
  const isFloat = (v: ExactJson): boolean =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Map) &&
    v.kind === "float";
  if (Array.isArray(value)) {
    const out = value.map((v) => toPlain(v, onFloat));
    if (onFloat !== undefined) value.forEach((v, i) => isFloat(v) && onFloat(out, i));
    return out;
  }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      Object.defineProperty(out, k, {
        value: toPlain(v, onFloat),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (onFloat !== undefined && isFloat(v)) onFloat(out, k);
    }
    return out;
  }
  if (value.kind === "int") {
    const n = value.value as bigint;
    return n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n;
  }
  return value.value;
}

/**
 * Compact JSON text of an exact value, keeping the integer/float distinction (`1.0` stays a
 * float), for messages.
 *
 * @param value An exact value.
 * @returns JSON text.
 */
export function exactText(value: ExactJson): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(exactText).join(",")}]`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${JSON.stringify(k)}:${exactText(v)}`).join(",")}}`;
  }
  if (value.kind === "int") return String(value.value);
  const n = value.value as number;
  return Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n}.0` : String(n);
}
