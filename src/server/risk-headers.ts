/**
 * Building the `WePay-Risk-Token` and `Client-IP` request headers.
 * @module
 */

import { booleanOption, checkObjectShape, describeType } from './arguments.js';
import { RiskHeaderError, type RiskHeaderField } from './errors.js';
import { formatIp, ipScope, parseIp, MAX_IP_TEXT_LENGTH } from './ip.js';
import { isRiskToken } from './risk-token.js';

/** Name of the header that carries the Risk.js token. */
export const RISK_TOKEN_HEADER = 'WePay-Risk-Token';
/** Name of the header that carries the shopper's public IP address. */
export const CLIENT_IP_HEADER = 'Client-IP';

/**
 * What {@link riskHeaders} needs. Both are optional; values of any type are accepted and validated at
 * run time (typically `token` comes from `riskTokenFrom(req.body)` and `clientIp` from
 * `clientIpFrom(req, …)`, both of which may be `null`).
 */
export interface RiskHeadersInput {
  /** The Risk.js token (a UUID), e.g. from `riskTokenFrom(req.body)`. */
  token?: unknown;
  /** The shopper's IP address, e.g. from `clientIpFrom(req, { trustProxy: 1 })`. */
  clientIp?: unknown;
}

/** Options for {@link riskHeaders}. */
export interface RiskHeadersOptions {
  /**
   * Throw a {@link RiskHeaderError} when a value is present (not `undefined`/`null`) but cannot be sent,
   * instead of silently leaving the header out. Default `false`.
   */
  strict?: boolean;
  /**
   * Also send non-public addresses — private (RFC 1918, unique-local), loopback, link-local,
   * documentation and other reserved unicast ranges — as `Client-IP`. For local development only:
   * WePay wants the shopper's public address. Unspecified, multicast and broadcast addresses are never
   * sent. Default `false`.
   */
  allowPrivateIp?: boolean;
}

/**
 * The headers {@link riskHeaders} returns: each is present only when its value is valid. Values are
 * always a lower-case UUID and a canonical IP address: no whitespace, no control characters.
 *
 * A type alias, not an interface, on purpose: an object type alias is assignable to an index signature
 * (`Record<string, string>`, part of `HeadersInit`), so `fetch(url, { headers: riskHeaders(…) })`
 * type-checks as well as spreading does.
 */
export type RiskHeaders = {
  'WePay-Risk-Token'?: string;
  'Client-IP'?: string;
};

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** Reads an own property; `threw` when a getter or Proxy trap threw. Inherited properties are ignored. */
function readOwn(object: unknown, key: string): { value: unknown; threw: boolean } {
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) {
    return { value: undefined, threw: false };
  }
  try {
    return { value: hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined, threw: false };
  } catch {
    return { value: undefined, threw: true };
  }
}

/** A short, printable-ASCII-only rendering of a rejected string, safe for logs. */
function preview(value: string): string {
  const clipped = value.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clipped) + (value.length > 40 ? ` (${value.length} characters)` : '');
}

function reject(strict: boolean, field: RiskHeaderField, message: string): void {
  if (strict) throw new RiskHeaderError(field, message);
}

/**
 * Builds the risk headers to send on a WePay API call made for a shopper. Spread the result into the
 * request's headers:
 *
 * ```ts
 * await fetch('https://wepayapi.com/v2/credit_card/create', {
 *   method: 'POST',
 *   headers: {
 *     Authorization: `Bearer ${accessToken}`,
 *     'Content-Type': 'application/json',
 *     ...riskHeaders({ token: riskTokenFrom(req.body), clientIp: clientIpFrom(req, { trustProxy: 1 }) }),
 *   },
 *   body: JSON.stringify(card),
 * });
 * ```
 *
 * - `'WePay-Risk-Token'` is set when `token` is a UUID string (see `isRiskToken`), lower-cased.
 * - `'Client-IP'` is set when `clientIp` is a valid IPv4/IPv6 address string that is public (see
 *   `isPublicIp`; carrier-grade NAT 100.64.0.0/10 counts as public), in canonical form: IPv4-mapped IPv6
 *   becomes IPv4, IPv6 is RFC 5952 lower case. Brackets, ports, zone ids and surrounding whitespace are
 *   not accepted — pass a bare address (which is what `clientIpFrom` returns).
 * - Anything else is left out: no header value can ever carry CR, LF, NUL or other shopper-controlled
 *   text. `undefined` and `null` are "not available" and never an error.
 *
 * @param input `{ token, clientIp }`; only own properties are read
 * @param options `strict` to throw on present-but-invalid values, `allowPrivateIp` for local development
 * @returns a new plain object with zero, one or both headers
 * @throws {TypeError} when `input` or `options` is not an object of that shape (`riskHeaders(token)`, a
 *   misspelt key such as `clientIP`, `strict: 'true'`): a programmer's mistake, whatever the values
 * @throws {RiskHeaderError} only with `{ strict: true }`, when a present value cannot be sent
 */
export function riskHeaders(input: RiskHeadersInput | null | undefined, options?: RiskHeadersOptions): RiskHeaders {
  checkObjectShape(input, ['token', 'clientIp'], 'riskHeaders: the input');
  checkObjectShape(options, ['strict', 'allowPrivateIp'], 'riskHeaders: options');
  const strict = booleanOption(options, 'strict', 'riskHeaders: options');
  const allowPrivateIp = booleanOption(options, 'allowPrivateIp', 'riskHeaders: options');
  const headers: RiskHeaders = {};

  const token = readOwn(input, 'token');
  if (token.threw) {
    reject(strict, 'token', `${RISK_TOKEN_HEADER}: the token could not be read`);
  } else if (token.value !== undefined && token.value !== null) {
    const value = token.value;
    if (typeof value !== 'string') {
      reject(strict, 'token', `${RISK_TOKEN_HEADER}: expected a UUID string, got ${describeType(value)}`);
    } else if (!isRiskToken(value)) {
      reject(
        strict,
        'token',
        value.length === 0
          ? `${RISK_TOKEN_HEADER}: the token is an empty string`
          : `${RISK_TOKEN_HEADER}: expected a UUID (8-4-4-4-12 hex digits, not nil), got ${preview(value)}`,
      );
    } else {
      headers[RISK_TOKEN_HEADER] = value.toLowerCase();
    }
  }

  const clientIp = readOwn(input, 'clientIp');
  if (clientIp.threw) {
    reject(strict, 'clientIp', `${CLIENT_IP_HEADER}: the client IP could not be read`);
  } else if (clientIp.value !== undefined && clientIp.value !== null) {
    const value = clientIp.value;
    const ip = typeof value === 'string' && value.length <= MAX_IP_TEXT_LENGTH ? parseIp(value) : null;
    if (typeof value !== 'string') {
      reject(strict, 'clientIp', `${CLIENT_IP_HEADER}: expected an IP address string, got ${describeType(value)}`);
    } else if (ip === null) {
      reject(
        strict,
        'clientIp',
        value.length === 0
          ? `${CLIENT_IP_HEADER}: the client IP is an empty string`
          : `${CLIENT_IP_HEADER}: not a valid IPv4 or IPv6 address (without brackets, port or zone): ${preview(value)}`,
      );
    } else {
      const scope = ipScope(ip);
      const text = formatIp(ip);
      if (scope === 'public' || (scope === 'private' && allowPrivateIp)) {
        headers[CLIENT_IP_HEADER] = text;
      } else if (scope === 'private') {
        reject(
          strict,
          'clientIp',
          `${CLIENT_IP_HEADER}: ${text} is a private, loopback, link-local or reserved address, not the ` +
            `shopper's public IP (pass allowPrivateIp: true for local development)`,
        );
      } else {
        reject(
          strict,
          'clientIp',
          `${CLIENT_IP_HEADER}: ${text} is an unspecified, multicast or broadcast address and cannot be a client's`,
        );
      }
    }
  }
  return headers;
}
