import { onLoadOrError } from './abort.js';
import { DEV } from './dev.js';
import { msSince } from './events.js';
import { isRiskToken, type RiskApi } from './token.js';
import { native, own } from './dom.js';

/**
 * WePay's Risk.js profiles the shopper's device through one container it appends to `<body>`: a script and
 * an image whose URLs carry the session id that becomes the token. It adds the container only when no
 * element with this id is in the page, and it throws when there is no `<body>` yet.
 */
const PROFILING_CONTAINER_ID = 'WePay-tags';

/** Milliseconds a submit held for a profiling script that failed waits still, for a `pagehide` that may follow. */
const PROFILING_FAILURE_GRACE_MS = 250;

/**
 * Resolves once the document has a `<body>`: at once if it has one, else once the parser has finished (it
 * adds a `<body>` by then at the latest).
 */
export function whenBodyExists(): Promise<unknown> {
  if (native(document, 'body') || native(document, 'readyState') !== 'loading') return Promise.resolve();
  return new Promise((resolve) =>
    native(document, 'addEventListener')('DOMContentLoaded', () => resolve(undefined), own({ once: true })),
  );
}

/** The profiling each Risk.js instance started when the element asked it for a token, until it loaded or failed. */
const profiling = new WeakMap<RiskApi, { done: Promise<unknown>; settled: boolean; duration: number | null }>();

/** The session ids a profiling container's requests name. */
function sessionsIn(container: Element): Array<string | undefined> {
  return [...container.querySelectorAll('[src]')].map((node) =>
    new URL((node as HTMLScriptElement).src, native(document, 'baseURI')).searchParams.get('session_id')?.toLowerCase(),
  );
}

/**
 * Runs `generate` (which calls `generate_risk_token()` on `risk`) and watches the profiling script that call
 * added, from the same task, so its load or error cannot be missed. Risk.js adds no container while one is in
 * the page: a container for another session (a prerendered snapshot's, or an expired token's) is removed
 * first, so the new session is profiled; one for this session means Risk.js profiled it earlier, with the
 * page's time to do it: nothing to wait for.
 */
export function generateWatchingProfiling<T>(risk: RiskApi, generate: () => T): T {
  if (profiling.has(risk)) return generate();
  const before = native(document, 'getElementById')(PROFILING_CONTAINER_ID);
  let token: unknown;
  try {
    token = risk.get_risk_token();
  } catch {
    // Generating reports it.
  }
  // A container that names no session is left alone, as Risk.js leaves it.
  const sessions = before ? sessionsIn(before) : [];
  if (sessions.length > 0) {
    if (!isRiskToken(token)) before!.remove();
    else if (DEV && !sessions.includes(token.toLowerCase())) {
      console.warn('<wepay-risk-token>: #WePay-tags profiles another session than the token.');
    }
  }
  const result = generate();
  const script = native(document, 'getElementById')(PROFILING_CONTAINER_ID)?.querySelector('script');
  const watched = { done: Promise.resolve() as Promise<unknown>, settled: true, duration: null as number | null };
  if (script && script.parentElement !== before) {
    watched.settled = false;
    const startedAt = performance.now();
    watched.done = new Promise((resolve) =>
      onLoadOrError(script, (event) => {
        watched.settled = true;
        watched.duration = msSince(startedAt);
        // WebKit stops a page's loads as the shopper presses Back, before `pagehide`: a submit held for this
        // script, sent the moment it fails, would follow the shopper out. The grace lets `pagehide` drop it.
        if (event.type === 'error') setTimeout(resolve, PROFILING_FAILURE_GRACE_MS);
        else resolve(undefined);
      }),
    );
  }
  profiling.set(risk, watched);
  return result;
}

/**
 * Resolves once the profiling script that `risk` added for its token has loaded, or failed a grace ago (at once if
 * it added none): a submit sent the moment the token exists would take the shopper away before that script could
 * profile the session the token names.
 */
export function whenProfiled(risk: RiskApi | undefined): Promise<unknown> {
  return (risk && profiling.get(risk)?.done) ?? Promise.resolve();
}

/** Milliseconds the profiling script that `risk` added took to load or fail; `null` if none, or still loading. */
export function profilingDuration(risk: RiskApi): number | null {
  return profiling.get(risk)?.duration ?? null;
}

/** Whether the profiling that `risk` started has loaded or failed (or there is none to wait for). */
export function isProfiled(risk: RiskApi | undefined): boolean {
  return !risk || (profiling.get(risk)?.settled ?? true);
}
