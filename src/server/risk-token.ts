/**
 * Risk token (UUID) validation and extraction from submitted form bodies.
 * @module
 */

import { booleanOption, checkObjectShape, describeType, ownOption, quote } from './arguments.js';
import { RiskHeaderError } from './errors.js';

/** The form field the `<wepay-risk-token>` element posts the token in, unless configured otherwise. */
export const DEFAULT_TOKEN_FIELD = 'wepay_risk_token';

const UUID_LENGTH = 36;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** Field names that address an object's prototype machinery rather than data; never read. */
const FORBIDDEN_FIELDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_FIELD_LENGTH = 256;

/**
 * Whether `value` is a risk token as Risk.js makes them: a string of exactly 36 characters in the UUID
 * 8-4-4-4-12 hex layout, any version/variant, either case. The nil UUID (all zeros) and the max UUID
 * (all `f`) are placeholders, not tokens, and are rejected. Anything that is not a string — including
 * Risk.js's "not ready yet" value `0` — is rejected. Never throws.
 *
 * @example isRiskToken('123E4567-E89B-12D3-A456-426655440000') // true
 * @example isRiskToken(0) // false
 */
export function isRiskToken(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== UUID_LENGTH || !UUID_PATTERN.test(value)) return false;
  const lower = value.toLowerCase();
  return lower !== NIL_UUID && lower !== MAX_UUID;
}

/** The lower-cased token, or `null` when `value` is not a risk token. Never throws. */
export function normalizeRiskToken(value: unknown): string | null {
  return typeof value === 'string' && isRiskToken(value) ? value.toLowerCase() : null;
}

/**
 * A form body `riskTokenFrom` understands: `FormData`, `URLSearchParams` (anything with `getAll`), or a
 * parsed body object such as Express's `req.body` from `express.urlencoded()` / `express.json()`.
 */
export type RiskTokenBody = { getAll(name: string): unknown[] } | Readonly<Record<string, unknown>> | null | undefined;

/**
 * The one token in the values a form field was posted with: every value must be the same token (compared
 * lower-cased), else there is none.
 */
function sameToken(values: readonly unknown[]): string | null {
  const token = normalizeRiskToken(values[0]);
  if (token === null) return null;
  for (let i = 1; i < values.length; i++) if (normalizeRiskToken(values[i]) !== token) return null;
  return token;
}

/** The values of an array a body parser made from a repeated field; `null` for holes, getters or one value. */
function repeatedValues(array: readonly unknown[]): unknown[] | null {
  if (array.length < 2) return null;
  const values: unknown[] = [];
  for (let i = 0; i < array.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(array, i);
    if (descriptor === undefined || !('value' in descriptor)) return null;
    values.push(descriptor.value);
  }
  return values;
}

/** Options for {@link riskTokenFrom}. */
export interface RiskTokenOptions {
  /** The form field the element posts (its `name` attribute). Default `'wepay_risk_token'`. */
  field?: string;
  /**
   * Throw a {@link RiskHeaderError} when the body cannot be read — it is `undefined` (no body parser ran),
   * empty (a parser that skipped this request), a multipart body read as urlencoded, unparsed text or the
   * request itself — instead of returning `null` as for a form without a token. A body that was read but
   * has no such field still gives `null`: that is a form without the element. Default `false`.
   */
  strict?: boolean;
}

/** The field name and mode a call asked for; a wrong call shape throws here, whatever the body. */
function settingsFrom(options: unknown): { field: string; strict: boolean } {
  if (typeof options === 'string') return { field: checkedField(options), strict: false };
  if (options !== undefined && options !== null && typeof options !== 'object') {
    throw new TypeError(
      `riskTokenFrom: the second argument is the field name or { field, strict }, got ${describeType(options)}`,
    );
  }
  checkObjectShape(options, ['field', 'strict'], 'riskTokenFrom: options');
  const field = ownOption(options, 'field');
  return {
    field: field === undefined ? DEFAULT_TOKEN_FIELD : checkedField(field),
    strict: booleanOption(options, 'strict', 'riskTokenFrom: options'),
  };
}

function checkedField(field: unknown): string {
  if (typeof field !== 'string') {
    throw new TypeError(`riskTokenFrom: the field name must be a string, got ${describeType(field)}`);
  }
  if (field.length === 0 || field.length > MAX_FIELD_LENGTH) {
    throw new RangeError(`riskTokenFrom: the field name must be 1 to ${MAX_FIELD_LENGTH} characters long`);
  }
  if (FORBIDDEN_FIELDS.has(field)) {
    throw new RangeError(`riskTokenFrom: ${quote(field)} names an object's prototype machinery, not a form field`);
  }
  return field;
}

/** Field names a multipart/form-data body turns into when a urlencoded parser reads it. */
const MULTIPART_READ_AS_URLENCODED = /content-disposition:\s*form-data/i;

/**
 * Why `body` cannot tell whether the field was posted, or `null` when it can. Only asked in strict mode.
 * A body that was read but lacks the field is not a problem here: that is a form without the element.
 */
function unreadable(body: unknown): string | null {
  if (body === undefined || body === null) {
    return (
      `the body is ${String(body)}: no body parser read this request. Express: add ` +
      `express.urlencoded({ extended: false }) to the route (a multipart/form-data form needs a multipart ` +
      `parser); a Fetch handler: pass await request.formData()`
    );
  }
  if (typeof body !== 'object') {
    return `the body is ${describeType(body)}, not parsed form fields: parse it first, e.g. new URLSearchParams(text)`;
  }
  const request = body as { method?: unknown; headers?: unknown; bodyUsed?: unknown };
  if (typeof request.method === 'string' && typeof request.headers === 'object' && request.headers !== null) {
    return request.bodyUsed === true
      ? `the Request's body has already been read: read it once, const form = await request.formData(), and pass form`
      : `this is the request itself, not its fields: pass req.body (after a body parser) or await request.formData()`;
  }
  const names = fieldNames(body);
  if (names.length === 0) {
    return (
      `the body has no fields: its parser did not read this request (Express 4's parsers leave {} when the ` +
      `Content-Type is not theirs, e.g. a multipart/form-data form given to express.urlencoded())`
    );
  }
  if (names.some((name) => MULTIPART_READ_AS_URLENCODED.test(name))) {
    return (
      `a multipart/form-data body was read as urlencoded: read it with a multipart parser ` +
      `(await request.formData(), multer) or post the form urlencoded`
    );
  }
  return null;
}

/** The field names of a `FormData` / `URLSearchParams` (anything with `keys()`) or a parsed body object. */
function fieldNames(body: object): string[] {
  const keys: unknown = (body as { keys?: unknown }).keys;
  if (typeof (body as { getAll?: unknown }).getAll === 'function' && typeof keys === 'function') {
    return Array.from(keys.call(body) as Iterable<string>);
  }
  return Object.keys(body);
}

/**
 * Reads the risk token the browser posted with a form, and returns it lower-cased, or `null`.
 *
 * - `FormData` / `URLSearchParams`: every value of the field must be a string (not a `File`).
 * - Parsed body objects: only an *own* data property of that name is read (inherited and accessor
 *   properties are ignored, so a polluted `Object.prototype` cannot supply a token); its value must be a
 *   string, or an array of two or more strings — what `express.urlencoded()` makes of a repeated field.
 * - A repeated field (`wepay_risk_token=U&wepay_risk_token=U`, e.g. two elements in one form) gives the
 *   token when every value is the same token; UUIDs that differ only in case are the same token. Differing
 *   values (`=a&…=b`, a token beside an empty or `undefined` value) → `null`: which one is the shopper's
 *   cannot be known.
 * - A non-string, a one-element array (`wepay_risk_token[]=U`, JSON `[U]`: not what a form posts) or a
 *   non-UUID → `null`. The value is not trimmed: the element posts exactly the UUID, anything else is not
 *   a token.
 *
 * A body it cannot read (`undefined` because no body parser ran, `{}` from a parser that skipped the
 * request, a multipart body read as urlencoded, the request itself) also gives `null`, like a form
 * without a token; with `{ strict: true }` it throws a {@link RiskHeaderError} that says what to fix.
 * Otherwise it never throws because of the body.
 *
 * @param body `FormData`, `URLSearchParams` or a parsed body object
 * @param options the field name (default `'wepay_risk_token'`), or `{ field, strict }`
 * @throws {TypeError | RangeError} for a wrong call: a field name that is not a non-empty string (at most
 *   256 characters, not `__proto__` / `constructor` / `prototype`), an unknown option, `strict` not a boolean
 * @throws {RiskHeaderError} only with `{ strict: true }`, when the body cannot be read
 *
 * @example
 * app.post('/pay', express.urlencoded({ extended: false }), (req, res) => {
 *   const token = riskTokenFrom(req.body, { strict: true }); // '123e4567-e89b-12d3-a456-426655440000' or null
 * });
 */
export function riskTokenFrom(
  body: RiskTokenBody | unknown,
  options?: string | RiskTokenOptions | null,
): string | null {
  const { field, strict } = settingsFrom(options);
  try {
    const problem = strict ? unreadable(body) : null;
    if (problem !== null) throw new RiskHeaderError('token', `riskTokenFrom: ${problem}`);
    return tokenIn(body, field);
  } catch (error) {
    if (error instanceof RiskHeaderError) throw error;
    if (strict) throw new RiskHeaderError('token', 'riskTokenFrom: the body could not be read');
    return null;
  }
}

/** The token in the field of a body, or `null`; may throw when the body's own code does (a Proxy, a getter). */
function tokenIn(body: unknown, field: string): string | null {
  if ((typeof body !== 'object' && typeof body !== 'function') || body === null) return null;
  const getAll: unknown = (body as { getAll?: unknown }).getAll;
  if (typeof getAll === 'function') {
    const values: unknown = getAll.call(body, field);
    return Array.isArray(values) && values.length > 0 ? sameToken(values) : null;
  }
  const descriptor = Object.getOwnPropertyDescriptor(body, field);
  if (descriptor === undefined || !('value' in descriptor)) return null;
  const value: unknown = descriptor.value;
  if (!Array.isArray(value)) return normalizeRiskToken(value);
  const values = repeatedValues(value);
  return values === null ? null : sameToken(values);
}
