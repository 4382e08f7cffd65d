/**
 * Why a risk token could not be had:
 * - `load-failed`: Risk.js did not load (network, ad blocker, CSP, Trusted Types).
 * - `unavailable`: it loaded, but `WePay.risk` with both methods is not there.
 * - `api-error`: a Risk.js method threw.
 * - `timeout`: no UUID arrived within the element's `timeout`.
 * - `invalid-token`: Risk.js gave a value that is neither a UUID nor a "not yet" value.
 * - `expired`: after a token expired, Risk.js gave the same token again; it was not used.
 * - `removed`: the element left its form while it held a `required` submit, which was therefore not sent.
 */
export type WePayRiskTokenErrorReason =
  'load-failed' | 'unavailable' | 'api-error' | 'timeout' | 'invalid-token' | 'expired' | 'removed';

/** The error `generate()` rejects with, and the `error` of a `wepay-risk-token-error` event. */
export class WePayRiskTokenError extends Error {
  readonly reason: WePayRiskTokenErrorReason;

  constructor(reason: WePayRiskTokenErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WePayRiskTokenError';
    this.reason = reason;
  }
}
