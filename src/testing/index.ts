/**
 * `wepay-risk-token/testing` — for testing an integration of `<wepay-risk-token>` without WePay:
 * `installFakeRisk()` defines `window.WePay.risk` for unit tests. The Risk.js stand-in, a script to serve
 * in browser tests, is the file `wepay-risk-token/testing/risk-stand-in.js`. Importing this module touches
 * no DOM, so Node test runners can import it too.
 * @module
 */

export { installFakeRisk, type FakeRisk, type FakeRiskFault, type FakeRiskOptions } from './install-fake-risk.js';
