import { DEV } from './dev.js';

/**
 * Why a risk token could not be had, or a submit was not sent:
 * - `load-failed`: Risk.js did not load (network, ad blocker, CSP, Trusted Types, a `src` not allowed).
 * - `unavailable`: it loaded, but `WePay.risk` with both methods is not there.
 * - `api-error`: a Risk.js method threw.
 * - `timeout`: no UUID arrived within the element's `timeout`, or a `required` submit's `submit-wait` ran out.
 * - `invalid-token`: Risk.js gave a value that is neither a UUID nor a "not yet" value.
 * - `expired`: after a token expired, Risk.js gave the same token again; it was not used.
 * - `removed`: the element left the form of a held `required` submit, which was therefore not sent.
 * - `disabled`: a `<fieldset disabled>` disables the element's field, so a `required` submit was not sent.
 * - `no-consent`: the element's `consent` is not `granted`, so a `required` submit was not sent (or `generate()`
 *   was refused); nothing was asked of WePay.
 */
export type WePayRiskTokenErrorReason =
  | 'load-failed'
  | 'unavailable'
  | 'api-error'
  | 'timeout'
  | 'invalid-token'
  | 'expired'
  | 'removed'
  | 'disabled'
  | 'no-consent';

/** What each reason means, when no more precise message is given (the development build only). */
const MESSAGES: Record<WePayRiskTokenErrorReason, string> = {
  'load-failed': 'Risk.js did not load.',
  unavailable: 'Risk.js defined no WePay.risk.',
  'api-error': 'A Risk.js method threw.',
  timeout: 'No risk token in time; a required submit was not sent.',
  'invalid-token': 'Risk.js gave a value that is not a UUID.',
  expired: 'Risk.js gave the expired token again.',
  removed: 'The element left its form: the required submit was not sent.',
  disabled: 'A disabled fieldset keeps the token from posting: the required submit was not sent.',
  'no-consent': 'No consent to device fingerprinting: no risk token was asked for.',
};

/**
 * The error `generate()` rejects with, and the `error` of a `wepay-risk-token-error` event. Its `message` is a
 * sentence in the development build; in the production build the element gives none, and the message is the
 * `reason` itself.
 */
export class WePayRiskTokenError extends Error {
  readonly reason: WePayRiskTokenErrorReason;

  constructor(reason: WePayRiskTokenErrorReason, message?: string, options?: { cause?: unknown }) {
    super(message ?? (DEV ? MESSAGES[reason] : reason), options);
    this.reason = reason;
  }

  // On the prototype, not `this.name = …`: where `Error.prototype` is frozen (SES `lockdown()`), that throws.
  override get name(): string {
    return 'WePayRiskTokenError';
  }
}
