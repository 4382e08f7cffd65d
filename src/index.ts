import { defineWePayRiskToken } from './define.js';

defineWePayRiskToken();

export { defineWePayRiskToken } from './define.js';
export {
  WePayRiskTokenElement,
  type WePayRiskTokenGenerateOptions,
  type WePayRiskTokenState,
} from './wepay-risk-token.js';
export { WePayRiskTokenError, type WePayRiskTokenErrorReason } from './errors.js';
export type {
  WePayRiskTokenErrorDetail,
  WePayRiskTokenErrorEvent,
  WePayRiskTokenExpiredDetail,
  WePayRiskTokenExpiredEvent,
  WePayRiskTokenReadyDetail,
  WePayRiskTokenReadyEvent,
  WePayRiskTokenSubmitDetail,
  WePayRiskTokenSubmitEvent,
  WePayRiskTokenSubmitOutcome,
  WePayRiskTokenTimings,
} from './events.js';
export type { WePayRiskTokenConsent } from './consent.js';
export { DEFAULT_SRC, TRUSTED_TYPES_POLICY } from './risk-script.js';
export type { WePayRiskTokenPageOptions } from './script-origin.js';
export type { Trigger as WePayRiskTokenTrigger } from './triggers.js';
