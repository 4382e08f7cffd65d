/**
 * Risk token (UUID) validation and extraction from submitted form bodies.
 * @module
 */

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
 * - A non-string, a one-element array (`wepay_risk_token[]=U`, JSON `[U]`: not what a form posts), a
 *   non-UUID, or a field name of `__proto__` / `constructor` / `prototype` → `null`.
 *
 * The value is not trimmed: the element posts exactly the UUID, anything else is not a token.
 * Never throws, whatever `body` is.
 *
 * @param body `FormData`, `URLSearchParams` or a parsed body object
 * @param field the form field name (default `'wepay_risk_token'`)
 *
 * @example
 * app.post('/pay', express.urlencoded({ extended: false }), (req, res) => {
 *   const token = riskTokenFrom(req.body); // '123e4567-e89b-12d3-a456-426655440000' or null
 * });
 */
export function riskTokenFrom(body: RiskTokenBody | unknown, field: string = DEFAULT_TOKEN_FIELD): string | null {
  if (typeof field !== 'string' || field.length === 0 || field.length > MAX_FIELD_LENGTH) return null;
  if (FORBIDDEN_FIELDS.has(field)) return null;
  if ((typeof body !== 'object' && typeof body !== 'function') || body === null) return null;
  try {
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
  } catch {
    return null;
  }
}
