/**
 * The shared vectors of `fixtures/risk-header-vectors.json`, and the Node helper's answer to each: what the
 * PHP, Python and Ruby recipes of docs/server.md must answer too.
 */
import { readFileSync } from 'node:fs';

import { clientIpFrom, riskHeaders, riskTokenFrom, type RiskHeaders } from '../../src/server/index.js';

interface TokenVector {
  readonly posted: string | null;
  readonly token: string | null;
}
interface RequestVector {
  readonly peer: string;
  readonly forwardedFor: string | null;
  /** The trusted proxies' address block. */
  readonly proxies: string;
  readonly clientIp: string | null;
}

/** One call of a recipe: the posted field, the server's CGI-style variables and the trusted proxies' block. */
export interface RecipeCall {
  readonly posted: string | null;
  readonly environ: { readonly REMOTE_ADDR: string; readonly HTTP_X_FORWARDED_FOR?: string };
  readonly trustedProxies: string;
  /** The headers the vector expects. */
  readonly expected: RiskHeaders;
}

const vectors = JSON.parse(readFileSync(new URL('./fixtures/risk-header-vectors.json', import.meta.url), 'utf8')) as {
  tokens: TokenVector[];
  requests: RequestVector[];
};

/** A shopper who reaches the server directly, for the token vectors. */
const DIRECT_SHOPPER = '8.8.8.8';

function headers(token: string | null, clientIp: string | null): RiskHeaders {
  return {
    ...(token === null ? {} : { 'WePay-Risk-Token': token }),
    ...(clientIp === null ? {} : { 'Client-IP': clientIp }),
  };
}

/** Every vector as a call: the tokens posted directly, then the requests with no token. */
export const RECIPE_CALLS: readonly RecipeCall[] = [
  ...vectors.tokens.map(({ posted, token }) => ({
    posted,
    environ: { REMOTE_ADDR: DIRECT_SHOPPER },
    trustedProxies: '10.0.0.2/32',
    expected: headers(token, DIRECT_SHOPPER),
  })),
  ...vectors.requests.map(({ peer, forwardedFor, proxies, clientIp }) => ({
    posted: null,
    environ: { REMOTE_ADDR: peer, ...(forwardedFor === null ? {} : { HTTP_X_FORWARDED_FOR: forwardedFor }) },
    trustedProxies: proxies,
    expected: headers(null, clientIp),
  })),
];

/** What the Node helper sends for a call, trusting the proxies' block. */
export function nodeAnswer({ posted, environ, trustedProxies }: RecipeCall): RiskHeaders {
  const body = posted === null ? {} : { wepay_risk_token: posted };
  const forwardedFor = environ.HTTP_X_FORWARDED_FOR;
  const request = {
    socket: { remoteAddress: environ.REMOTE_ADDR },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  };
  return riskHeaders({ token: riskTokenFrom(body), clientIp: clientIpFrom(request, { trustProxy: [trustedProxies] }) });
}
