import { DEV } from './dev.js';

/**
 * How the element reads its settings. Each is one raw value, set by its attribute or its property, whichever
 * came last (as Lit does), and read through one of these functions: a value that is not valid reads as the
 * default (the development build warns once). Nothing is written back to the tag: only what the page set is there.
 */

/** Timers fire at once for delays past 2^31 - 1 ms, so longer ones are not valid. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Values already warned about, per element. */
const warned = new WeakMap<Element, Set<string>>();

/** Warns once per element and value (the development build only) that `value` is not valid. */
function warnInvalid(element: Element, attribute: string, value: unknown, expected: string, fallback: unknown): void {
  const seen = warned.get(element) ?? new Set();
  warned.set(element, seen);
  const key = `${attribute}=${String(value)}`;
  if (seen.has(key)) return;
  seen.add(key);
  console.warn(`<wepay-risk-token>: ${key} is not valid; expected ${expected}. Using ${String(fallback)}.`);
}

/** A text setting: any non-empty string. */
export function readText(element: Element, attribute: string, value: unknown, fallback: string): string {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string' && value !== '') return value;
  if (DEV) warnInvalid(element, attribute, value, 'text', fallback);
  return fallback;
}

/** One of `choices` (the first is the default), in any case. */
export function readChoice<T extends string>(
  element: Element,
  attribute: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (value === null || value === undefined) return choices[0]!;
  const choice = String(value).trim().toLowerCase() as T;
  if (choices.includes(choice)) return choice;
  if (DEV) warnInvalid(element, attribute, value, choices.join(', '), choices[0]);
  return choices[0]!;
}

/** Milliseconds from `min` to 2^31 - 1, as a number or a numeric string (frameworks pass markup as strings). */
export function readMilliseconds(
  element: Element,
  attribute: string,
  value: unknown,
  fallback: number,
  min: number,
): number {
  if (value === null || value === undefined) return fallback;
  // An empty or blank string is not 0.
  const ms = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof ms === 'number' && ms >= min && ms <= MAX_DELAY_MS) return ms;
  if (DEV) warnInvalid(element, attribute, value, `milliseconds from ${min}, e.g. ${fallback}`, fallback);
  return fallback;
}
