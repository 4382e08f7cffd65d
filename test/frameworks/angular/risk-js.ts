/** The local Risk.js stand-in: a token 50 ms after it is asked for, and no generation on its own. */
export const RISK_JS = '/risk.js?auto=off&latency=50';
