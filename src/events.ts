import type { WePayRiskTokenError, WePayRiskTokenErrorReason } from './errors.js';

export interface WePayRiskTokenReadyDetail {
  token: string;
}

export interface WePayRiskTokenErrorDetail {
  reason: WePayRiskTokenErrorReason;
  error: WePayRiskTokenError;
}

export interface WePayRiskTokenExpiredDetail {
  /** The token that expired. */
  token: string;
}

export type WePayRiskTokenReadyEvent = CustomEvent<WePayRiskTokenReadyDetail>;
export type WePayRiskTokenErrorEvent = CustomEvent<WePayRiskTokenErrorDetail>;
export type WePayRiskTokenExpiredEvent = CustomEvent<WePayRiskTokenExpiredDetail>;

export const READY_EVENT = 'wepay-risk-token-ready';
export const ERROR_EVENT = 'wepay-risk-token-error';
export const EXPIRED_EVENT = 'wepay-risk-token-expired';

/** Events leave the element for the page, so they bubble and cross shadow roots. */
export function riskTokenEvent<Detail>(type: string, detail: Detail): CustomEvent<Detail> {
  return new CustomEvent(type, { detail, bubbles: true, composed: true });
}
