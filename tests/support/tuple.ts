/**
 * Test helpers that turn arrays a test built into tuples, so `noUncheckedIndexedAccess` knows
 * their length; a wrong length fails the test with its name.
 *
 * @module
 */

import assert from "node:assert/strict";

/** `xs` as three elements; any other length fails the test. */
export function three<T>(xs: readonly T[]): [T, T, T] {
  assert.equal(xs.length, 3, "expected three elements");
  return [xs[0]!, xs[1]!, xs[2]!];
}

/** `argv` split into program and arguments; an empty argv fails the test. */
export function programOf(argv: readonly string[]): [string, string[]] {
  const [program, ...args] = argv;
  assert.ok(program !== undefined, "argv is empty: no program to run");
  return [program, args];
}

/** The first element of `xs`; an empty `xs` fails the test. */
export function first<T>(xs: readonly T[]): T {
  const [x] = xs;
  assert.ok(x !== undefined, "expected at least one element");
  return x;
}
