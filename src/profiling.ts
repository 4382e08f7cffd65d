import { hasExpired } from './expiry.js';
import type { RiskApi } from './token.js';

/**
 * WePay's Risk.js profiles the shopper's device through one container it appends to `<body>`: a script and
 * an image whose URLs carry the session id that becomes the token. It adds the container only when no
 * element with this id is in the page, and it throws when there is no `<body>` yet.
 */
const PROFILING_CONTAINER_ID = 'WePay-tags';

/**
 * Resolves once the document has a `<body>`: at once if it has one, else once the parser has finished (it
 * adds a `<body>` by then at the latest).
 */
export function whenBodyExists(): Promise<unknown> {
  if (document.body || document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

/** The profiling each Risk.js instance started when the element asked it for a token, until it loaded or failed. */
const profiling = new WeakMap<RiskApi, Promise<unknown>>();

/**
 * Runs `generate` (which calls `generate_risk_token()` on `risk`) and watches the profiling script that call
 * added, from the same task, so its load or error cannot be missed. A container already in the page means
 * Risk.js profiled earlier, with the page's time to do it: nothing to wait for.
 */
export function generateWatchingProfiling<T>(risk: RiskApi, generate: () => T): T {
  const profiledBefore = document.getElementById(PROFILING_CONTAINER_ID) !== null;
  const result = generate();
  const script = profiledBefore ? null : document.getElementById(PROFILING_CONTAINER_ID)?.querySelector('script');
  if (script && !profiling.has(risk)) {
    profiling.set(
      risk,
      new Promise((resolve) => {
        const settled = () => {
          script.removeEventListener('load', settled);
          script.removeEventListener('error', settled);
          resolve(undefined);
        };
        script.addEventListener('load', settled);
        script.addEventListener('error', settled);
      }),
    );
  }
  return result;
}

/**
 * Resolves once the profiling script that `risk` added for its token has loaded or failed (at once if it added
 * none): a held submit sent the moment the token exists would take the shopper away before that script could
 * profile the session the token names.
 */
export function whenProfiled(risk: RiskApi | undefined): Promise<unknown> {
  return (risk && profiling.get(risk)) ?? Promise.resolve();
}

/**
 * Removes the profiling container of a Risk.js that is being replaced because its token expired. The new
 * Risk.js makes a new session id, but with the old container in the page it would not profile it, and WePay
 * would get a token it knows nothing about. While that token has not expired on this page, the container
 * stays: another element may still post it.
 */
export function forgetExpiredProfiling(stale: RiskApi): void {
  let token: unknown;
  try {
    token = stale.get_risk_token();
  } catch {
    return;
  }
  if (typeof token === 'string' && hasExpired(token.toLowerCase())) {
    document.getElementById(PROFILING_CONTAINER_ID)?.remove();
  }
}
