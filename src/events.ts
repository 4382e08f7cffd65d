import type { WePayRiskTokenError, WePayRiskTokenErrorReason } from './errors.js';

/** How long the steps to a token took, in milliseconds. */
export interface WePayRiskTokenTimings {
  /** Loading Risk.js; 0 when it was already on the page. */
  load: number;
  /** From calling `generate_risk_token()` to having the UUID. */
  generate: number;
  /** Loading WePay's profiling script, from `generate_risk_token()`; `null` when none ran or it still loads. */
  profile: number | null;
}

export interface WePayRiskTokenReadyDetail {
  token: string;
  timings: WePayRiskTokenTimings;
}

export interface WePayRiskTokenErrorDetail {
  reason: WePayRiskTokenErrorReason;
  error: WePayRiskTokenError;
  /** Milliseconds since the run that failed (or is in flight) started; 0 when none had. */
  elapsed: number;
}

/**
 * What became of a submit the element's form held: sent with the `token`; sent without one when `submit-wait`
 * ran out (`timeout`) or the token could not be had (`failure`); or not sent at all (`dropped`: a `required`
 * refusal, or the shopper left the page).
 */
export type WePayRiskTokenSubmitOutcome = 'token' | 'timeout' | 'failure' | 'dropped';

export interface WePayRiskTokenSubmitDetail {
  /** Milliseconds the submit was held. */
  held: number;
  outcome: WePayRiskTokenSubmitOutcome;
}

export interface WePayRiskTokenExpiredDetail {
  /** The token that expired. */
  token: string;
}

export type WePayRiskTokenReadyEvent = CustomEvent<WePayRiskTokenReadyDetail>;
export type WePayRiskTokenErrorEvent = CustomEvent<WePayRiskTokenErrorDetail>;
export type WePayRiskTokenExpiredEvent = CustomEvent<WePayRiskTokenExpiredDetail>;
export type WePayRiskTokenSubmitEvent = CustomEvent<WePayRiskTokenSubmitDetail>;

export const READY_EVENT = 'wepay-risk-token-ready';
export const ERROR_EVENT = 'wepay-risk-token-error';
export const EXPIRED_EVENT = 'wepay-risk-token-expired';
export const SUBMIT_EVENT = 'wepay-risk-token-submit';

/** Milliseconds since `start` (a `performance.now()` reading), whole. */
export function msSince(start: number): number {
  return Math.max(0, Math.round(performance.now() - start));
}

/** Events leave the element for the page, so they bubble and cross shadow roots. */
export function riskTokenEvent<Detail>(type: string, detail: Detail): CustomEvent<Detail> {
  return new CustomEvent(type, { detail, bubbles: true, composed: true });
}
