/**
 * Checking how the exported functions are called. A wrong shape is a programmer's mistake: it throws a
 * `TypeError` that names the right shape, where quietly ignoring it would only leave a header out.
 * @module
 */

/** A short, printable-ASCII-only rendering of a programmer's value for an error message. */
export function quote(text: string): string {
  const clipped = text.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clipped) + (text.length > 60 ? '…' : '');
}

/** What kind of value this is, for an error message: `a string`, `an array`, `null`, … */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks that `value` is `undefined`, `null` or an object whose own keys are all in `keys`. An object whose
 * keys cannot be listed (a throwing Proxy) passes: its values are then read one by one.
 *
 * @param what how the message names the argument, e.g. `riskHeaders: options`
 */
export function checkObjectShape(value: unknown, keys: readonly string[], what: string): void {
  if (value === undefined || value === null) return;
  const shape = `{ ${keys.join(', ')} }`;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object ${shape}, got ${describeType(value)}`);
  }
  let own: string[];
  try {
    own = Object.keys(value);
  } catch {
    return;
  }
  for (const key of own) {
    if (keys.includes(key)) continue;
    const meant = keys.find((known) => known.toLowerCase() === key.toLowerCase());
    const hint = meant === undefined ? '' : ` (did you mean ${meant}?)`;
    throw new TypeError(`${what} has no key ${quote(key)}${hint}: it is ${shape}`);
  }
}

/**
 * An own property of an options object, or `undefined`: inherited ones never count (a polluted
 * `Object.prototype` cannot switch a mode on), nor does a getter or Proxy trap that throws.
 */
export function ownOption(options: unknown, key: string): unknown {
  if (typeof options !== 'object' || options === null) return undefined;
  try {
    return Object.hasOwn(options, key) ? (options as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** A boolean option, off unless set: `'true'` from an environment variable is not `true`, and throws. */
export function booleanOption(options: unknown, key: string, what: string): boolean {
  const value = ownOption(options, key);
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${what}.${key} must be true or false, got ${describeType(value)}`);
  }
  return value === true;
}
