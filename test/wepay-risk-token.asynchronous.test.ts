/**
 * The element's core spec (test/wepay-risk-token.test.ts) again, against a Risk.js that makes its token some
 * time after generate_risk_token() returns: WePay's contract allows it, though WePay's Risk.js today is
 * synchronous, as the stand-in is by default.
 */
import { ASYNCHRONOUS_RISK_JS, useRiskJsMode } from './support/risk-js.js';

useRiskJsMode(ASYNCHRONOUS_RISK_JS);
await import('./wepay-risk-token.test.js');
