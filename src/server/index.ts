/**
 * `wepay-risk-token/server` — the server half of `wepay-risk-token`: turn the risk token the browser
 * posted and the shopper's IP address into WePay's `WePay-Risk-Token` and `Client-IP` API request headers.
 *
 * Runtime-neutral: no dependencies and no `node:*` imports, so it runs on Node 18+, Deno, Bun and edge
 * runtimes. Nothing here throws on shopper input. What throws is a programmer's error — a wrong call shape
 * or a bad `trustProxy` / `header` setting (`TypeError` / `RangeError`, with a message that says the right
 * shape) — and `strict` mode, on purpose: `riskTokenFrom` for a body it cannot read, `riskHeaders` for a
 * value it cannot send (`RiskHeaderError`).
 *
 * @example
 * import { clientIpFrom, riskHeaders, riskTokenFrom } from 'wepay-risk-token/server';
 *
 * app.post('/checkout', express.urlencoded({ extended: false }), async (req, res) => {
 *   const headers = riskHeaders({
 *     token: riskTokenFrom(req.body, { strict: true }),
 *     clientIp: clientIpFrom(req, { trustProxy: 1 }),
 *   });
 *   // …fetch('https://wepayapi.com/v2/credit_card/create', { headers: { ...auth, ...headers }, … })
 * });
 *
 * @module
 */

export { RiskHeaderError, type RiskHeaderField } from './errors.js';
export { isPublicIp } from './ip.js';
export {
  clientIpFrom,
  type ClientIpOptions,
  type FetchRequestLike,
  type ForwardedHeader,
  type IncomingMessageLike,
} from './client-ip.js';
export { compileTrust, type CompiledTrust, type TrustProxy } from './trust.js';
export {
  CLIENT_IP_HEADER,
  RISK_TOKEN_HEADER,
  riskHeaders,
  type RiskHeaders,
  type RiskHeadersInput,
  type RiskHeadersOptions,
} from './risk-headers.js';
export {
  DEFAULT_TOKEN_FIELD,
  isRiskToken,
  riskTokenFrom,
  type RiskTokenBody,
  type RiskTokenOptions,
} from './risk-token.js';
