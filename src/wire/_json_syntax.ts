/**
 * The SDK's own words for a JSON syntax error, the same on every engine.
 *
 * V8 says `Unexpected non-whitespace character after JSON at position 2`, JavaScriptCore (Bun)
 * says only `JSON Parse error: Unable to parse JSON string`, so the same bad request would be
 * answered differently depending on where the adapter runs, and under Bun two concatenated
 * requests would not be named as such. This scanner runs only after the engine's parser has
 * refused the text, so it costs nothing on the way of a good request. It follows RFC 8259 and
 * keeps its own stack, so no nesting depth overflows it.
 *
 * @module
 */

/**
 * Describes the first syntax error in `text`: what was found, where (line and column, counted
 * in UTF-16 units from 1), and what JSON allows there.
 *
 * @returns The description, or `undefined` when the text is valid JSON.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeSyntaxError } from "./_json_syntax.ts";
 * assert.equal(
 *   describeSyntaxError('{"a":1}{"b":2}'),
 *   "unexpected '{' after the JSON document at line 1, column 8: expected one JSON document",
 * );
 * ```
 */
export function describeSyntaxError(text: string): string | undefined {
  return new Scanner(text).document();
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set('"\\/bfnrtu'.split("").map((c) => c.charCodeAt(0)));
// Letters, marks, digits, punctuation and symbols; a space, a control or format character (a byte
// order mark, a zero-width space) and a lone surrogate are named by code point instead. Built on
// first use: V8 builds a Unicode-property class as the literal is evaluated, and this module is
// loaded on every start (1.3 ms of an empty read's ~35 ms, measured alone under Deno 2.9.6).
let visible: RegExp | undefined;
const isVisible = (char: string): boolean =>
  (visible ??= new RegExp("^[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}]$", "u")).test(char);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

class Scanner {
  at = 0;
  constructor(readonly text: string) {}

  document(): string | undefined {
    this.skipWhitespace();
    const problem = this.value();
    if (problem !== undefined) return problem;
    this.skipWhitespace();
    if (this.at === this.text.length) return undefined;
    return `unexpected ${this.found()} after the JSON document at ${this.place()}: ` +
      "expected one JSON document";
  }

  /** Scans one value; containers with an explicit stack of their closing brackets. */
  value(): string | undefined {
    const closers: number[] = [];
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      let problem: string | undefined;
      if (c === 0x7b || c === 0x5b) {
        this.at++;
        this.skipWhitespace();
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (this.text.charCodeAt(this.at) === close) {
          this.at++;
        } else {
          closers.push(close);
          problem = close === 0x7d ? this.memberName() : undefined;
          if (problem !== undefined) return problem;
          continue;
        }
      } else {
        problem = this.scalar();
        if (problem !== undefined) return problem;
      }
      // After a value: close containers, or move on to the next element.
      for (;;) {
        const close = closers.at(-1);
        if (close === undefined) return undefined;
        this.skipWhitespace();
        const next = this.text.charCodeAt(this.at);
        if (next === close) {
          closers.pop();
          this.at++;
          continue;
        }
        if (next === 0x2c) {
          this.at++;
          this.skipWhitespace();
          if (close === 0x7d) {
            problem = this.memberName();
            if (problem !== undefined) return problem;
          }
          break;
        }
        return this.expected(close === 0x7d ? "',' or '}'" : "',' or ']'");
      }
    }
  }

  /** A member's name and its colon, leaving the scanner at the member's value. */
  memberName(): string | undefined {
    if (this.text.charCodeAt(this.at) !== 0x22) return this.expected("a string member name");
    const problem = this.string();
    if (problem !== undefined) return problem;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.at) !== 0x3a) return this.expected("':'");
    this.at++;
    this.skipWhitespace();
    return undefined;
  }

  scalar(): string | undefined {
    const c = this.text.charCodeAt(this.at);
    if (c === 0x22) return this.string();
    if (c === 0x2d || isDigit(c)) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return undefined;
      }
      // A word cut off by the end of the text is an early end, not a bad first letter.
      if (word.startsWith(this.text.slice(this.at)) && this.at < this.text.length) {
        this.at = this.text.length;
      }
    }
    return this.expected("a JSON value");
  }

  string(): string | undefined {
    this.at++;
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x22) {
        this.at++;
        return undefined;
      }
      if (Number.isNaN(c)) return this.expected("'\"' closing the string");
      if (c < 0x20) {
        return this.unexpected("a string holds control characters only escaped, as \\n or \\u0000");
      }
      if (c === 0x5c) {
        const escape = this.text.charCodeAt(this.at + 1);
        if (!ESCAPES.has(escape)) {
          this.at++;
          return this.expected('one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
        }
        if (escape === 0x75) {
          for (let i = 2; i < 6; i++) {
            if (!isHex(this.text.charCodeAt(this.at + i))) {
              this.at += i;
              return this.expected("four hexadecimal digits after \\u");
            }
          }
          this.at += 4;
        }
        this.at += 2;
      } else {
        this.at++;
      }
    }
  }

  number(): string | undefined {
    if (this.text.charCodeAt(this.at) === 0x2d) this.at++;
    const first = this.text.charCodeAt(this.at);
    if (!isDigit(first)) return this.expected("a digit");
    this.at++;
    if (first === 0x30 && isDigit(this.text.charCodeAt(this.at))) {
      return this.unexpected("a number has no digit after a leading 0");
    }
    this.digits();
    if (this.text.charCodeAt(this.at) === 0x2e) {
      this.at++;
      if (!isDigit(this.text.charCodeAt(this.at))) return this.expected("a digit after '.'");
      this.digits();
    }
    const e = this.text.charCodeAt(this.at);
    if (e === 0x65 || e === 0x45) {
      this.at++;
      const sign = this.text.charCodeAt(this.at);
      if (sign === 0x2b || sign === 0x2d) this.at++;
      if (!isDigit(this.text.charCodeAt(this.at))) return this.expected("a digit in the exponent");
      this.digits();
    }
    return undefined;
  }

  digits(): void {
    while (isDigit(this.text.charCodeAt(this.at))) this.at++;
  }

  skipWhitespace(): void {
    while (WHITESPACE.has(this.text.charCodeAt(this.at))) this.at++;
  }

  expected(what: string): string {
    if (this.at >= this.text.length) {
      return `the JSON text ends early at ${this.place()}: expected ${what}`;
    }
    return this.unexpected(`expected ${what}`);
  }

  unexpected(why: string): string {
    return `unexpected ${this.found()} at ${this.place()}: ${why}`;
  }

  /** The character at the scanner, quoted, or named by its code point when it does not show. */
  found(): string {
    const c = String.fromCodePoint(this.text.codePointAt(this.at)!);
    if (!isVisible(c)) {
      return `character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    }
    return c === "'" ? `"'"` : `'${c}'`;
  }

  place(): string {
    let line = 1;
    let lineStart = 0;
    for (
      let i = this.text.indexOf("\n");
      i !== -1 && i < this.at;
      i = this.text.indexOf("\n", i + 1)
    ) {
      line++;
      lineStart = i + 1;
    }
    return `line ${line}, column ${this.at - lineStart + 1}`;
  }
}
