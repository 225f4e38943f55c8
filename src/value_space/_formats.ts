/**
 * The textual checks of alembic's value space: RFC 3339 dates and times,
 * the string formats, and the parsers they stand on (Rust's `IpAddr`, the `ipnet` crate's
 * networks, the `uuid` crate), rewritten so a value alembic refuses is refused here too.
 *
 * @module
 */

import type { FieldFormat } from "../wire/schema.ts";
import { canonicalUuid } from "../wire/values.ts";

const SLUG = /^[a-z0-9]+(?:[a-z0-9_-]*[a-z0-9])?$/;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$/;
// RFC 3339 digits are ASCII; the classes are spelled out so no engine reads `\d` wider.
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?$/;
const DATETIME =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)(?:Z|[+-]([0-9]{2}):([0-9]{2}))?$/;
/** RFC 3339 `full-date`, a real Gregorian date; year 0000 is refused, as alembic does. */
export function isDate(raw: string): boolean {
  const m = DATE.exec(raw);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year !== 0 && day >= 1 && day <= daysInMonth(year, month);
}

/** RFC 3339 `partial-time` with optional fractional seconds; no leap second. */
export function isTime(raw: string): boolean {
  const m = TIME.exec(raw);
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 59;
}

/** RFC 3339 `date-time`, with the offset optional and only an uppercase `Z`. */
export function isDatetime(raw: string): boolean {
  const m = DATETIME.exec(raw);
  // Groups 1 and 2 are not optional: a match has them.
  if (m === null || !isDate(m[1]!) || !isTime(m[2]!)) return false;
  return m[3] === undefined || (Number(m[3]) <= 23 && Number(m[4]) <= 59);
}

function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 1:
    case 3:
    case 5:
    case 7:
    case 8:
    case 10:
    case 12:
      return 31;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    case 2:
      return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
    default:
      return 0;
  }
}

/** Whether a string satisfies a `format` constraint, as alembic checks it. */
export function matchesFormat(format: FieldFormat, raw: string): boolean {
  switch (format) {
    case "slug":
      return SLUG.test(raw);
    case "ip_address":
      return isIpAddress(raw);
    case "cidr":
    case "prefix":
      return isIpNetwork(raw);
    case "mac":
      return MAC.test(raw);
    case "uuid":
      return canonicalUuid(raw) !== undefined;
  }
}

/** The check a format resolves to: `cidr` and `prefix` are one check under two names. */
export function formatCheck(format: FieldFormat): string {
  return format === "prefix" ? "cidr" : format;
}

/** A strict IPv4 or IPv6 address, as Rust's `IpAddr` parses it: no mask, no zone, no brackets. */
export function isIpAddress(raw: string): boolean {
  return ipv4Length(raw, 0) === raw.length || ipv6Length(raw, 0) === raw.length;
}

/** An `ipnet` network: an address, `/`, and a prefix length no longer than the address. */
export function isIpNetwork(raw: string): boolean {
  const slash = raw.lastIndexOf("/");
  if (slash < 0) return false;
  const address = raw.slice(0, slash);
  const length = raw.slice(slash + 1);
  if (ipv4Length(address, 0) === address.length) return prefixLength(length, 2, 32);
  if (ipv6Length(address, 0) === address.length) return prefixLength(length, 3, 128);
  return false;
}

function prefixLength(raw: string, maxDigits: number, max: number): boolean {
  return raw.length >= 1 && raw.length <= maxDigits && /^[0-9]+$/.test(raw) && Number(raw) <= max;
}

/**
 * Reads a dotted-quad IPv4 address at `at`; returns the offset after it, or -1. Like Rust's
 * parser: four decimal octets up to 255, and no leading zero (`01` is refused).
 */
function ipv4Length(s: string, at: number): number {
  let i = at;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s[i] !== ".") return -1;
      i++;
    }
    const start = i;
    while (i < s.length && i - start < 3 && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return -1;
    if (i - start > 1 && s[start] === "0") return -1;
    if (Number(s.slice(start, i)) > 255) return -1;
  }
  return i;
}

/**
 * Reads an IPv6 address at `at` the way Rust's parser does: up to eight groups of one to four
 * hex digits, one `::` standing for at least one zero group, and an optional embedded IPv4
 * address in the last two groups' place. Returns the offset after it, or -1.
 */
function ipv6Length(s: string, at: number): number {
  const head = ipv6Groups(s, at, 8);
  if (head.count === 8) return head.end;
  if (head.ipv4) return -1;
  if (s[head.end] !== ":" || s[head.end + 1] !== ":") return -1;
  const tail = ipv6Groups(s, head.end + 2, 8 - (head.count + 1));
  return tail.end;
}

function ipv6Groups(
  s: string,
  at: number,
  limit: number,
): { count: number; end: number; ipv4: boolean } {
  let i = at;
  for (let n = 0; n < limit; n++) {
    const start = n > 0 ? (s[i] === ":" ? i + 1 : -1) : i;
    if (start < 0) return { count: n, end: i, ipv4: false };
    if (n < limit - 1) {
      const v4 = ipv4Length(s, start);
      if (v4 >= 0) return { count: n + 2, end: v4, ipv4: true };
    }
    let j = start;
    while (j < s.length && j - start < 4 && isHex(s.charCodeAt(j))) j++;
    if (j === start) return { count: n, end: i, ipv4: false };
    i = j;
  }
  return { count: limit, end: i, ipv4: false };
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Compiles a schema `pattern` for unanchored matching, refusing what Rust's `regex` crate
 * refuses (look-around, backreferences) and taking a leading inline flag group such as `(?i)`.
 * Other Rust-only syntax is read as JavaScript would read it, with the `u` flag.
 *
 * @param pattern The pattern.
 * @returns The compiled expression.
 * @throws {Error} when Rust's `regex` would not compile it.
 */
export function compilePattern(pattern: string): RegExp {
  let source = pattern;
  let flags = "u";
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline !== null && !inline[1]!.includes("U")) {
    flags += [...new Set(inline[1])].join("");
    source = source.slice(inline[0].length);
  }
  const unsupported = rustUnsupported(source);
  if (unsupported !== undefined) throw new Error(`regex parse error: ${unsupported}`);
  return new RegExp(source, flags);
}

/** The first construct Rust's `regex` crate has no support for, outside character classes. */
function rustUnsupported(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && /[1-9]/.test(next)) return "backreferences are not supported";
      if (!inClass && next === "k" && source[i + 2] === "<") {
        return "backreferences are not supported";
      }
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
      if (source[i + 1] === "]") i++;
    } else if (c === "(" && source[i + 1] === "?") {
      const rest = source.slice(i + 2, i + 4);
      if (rest[0] === "=" || rest[0] === "!" || rest === "<=" || rest === "<!") {
        return "look-around, including look-ahead and look-behind, is not supported";
      }
    }
  }
  return undefined;
}
