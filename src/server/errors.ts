/** Which input of {@link riskHeaders} a {@link RiskHeaderError} is about. */
export type RiskHeaderField = 'token' | 'clientIp';

/**
 * Thrown in `strict` mode only, where a header would otherwise be left out without a word:
 * - by `riskHeaders(…, { strict: true })` when a value is present but cannot be sent: a risk token that is
 *   not a UUID, or a client IP that is not a valid (public, unless `allowPrivateIp`) address. Missing
 *   values (`undefined` / `null`) never throw.
 * - by `riskTokenFrom(body, { strict: true })` when the body cannot be read (`field` is `'token'`): no body
 *   parser ran, a parser skipped the request, a multipart body was read as urlencoded, the request itself
 *   was passed. A body without the field is not an error.
 *
 * The only other errors in `wepay-risk-token/server` are the `TypeError` / `RangeError` a wrong call or a
 * bad `trustProxy` / `header` setting throws.
 *
 * The message names the header and says what was wrong; it quotes at most a short, printable-ASCII-only
 * preview of the offending value, so it is safe to log.
 */
export class RiskHeaderError extends Error {
  /** The input that was rejected: `'token'` (→ `WePay-Risk-Token`) or `'clientIp'` (→ `Client-IP`). */
  readonly field: RiskHeaderField;

  /**
   * @param field the input that was rejected
   * @param message what was wrong with it
   */
  constructor(field: RiskHeaderField, message: string) {
    super(message);
    this.name = 'RiskHeaderError';
    this.field = field;
  }
}
