import { deadline, onAbort } from './abort.js';
import { DEV } from './dev.js';
import { WePayRiskTokenError } from './errors.js';

/** The part of `window.WePay.risk` the element uses. */
export interface RiskApi {
  generate_risk_token(): unknown;
  get_risk_token(): unknown;
}

/** How often `get_risk_token()` is asked while a token is being made. */
export const POLL_INTERVAL_MS = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The nil and max UUIDs, one digit repeated: UUID-shaped, but no token Risk.js made (the server helper refuses them too). */
const PLACEHOLDER = /^(0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i;

/** A risk token is a UUID of any version, in either case. */
export function isRiskToken(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value) && !PLACEHOLDER.test(value);
}

/** Values Risk.js may plausibly give before the token exists. */
function isNotYet(value: unknown): boolean {
  return value === 0 || value === '0' || value === '' || value === null || value === undefined;
}

/** When `generate_risk_token()` was called, per Risk.js instance: it is called once per page. */
const generatedAt = new WeakMap<RiskApi, number>();

/**
 * Calls `generate_risk_token()` unless this Risk.js instance was already asked; returns when its token was
 * made, as far as can be known. A token Risk.js already had (the page's own call, or its generation 5 s after
 * `load`) may be as old as the page, so it counts from the page's start: it then expires early, never late.
 */
export function generateOnce(risk: RiskApi): number {
  const asked = generatedAt.get(risk);
  if (asked !== undefined) return asked;
  let hadToken = false;
  try {
    hadToken = isRiskToken(risk.get_risk_token());
  } catch {
    // Reading again after generating reports it.
  }
  try {
    risk.generate_risk_token();
  } catch (cause) {
    throw new WePayRiskTokenError('api-error', DEV ? 'generate_risk_token() threw.' : undefined, { cause });
  }
  const madeAt = hadToken ? Math.floor(performance.timeOrigin) : Date.now();
  generatedAt.set(risk, madeAt);
  return madeAt;
}

/** Reads `get_risk_token()` once: a lower-cased UUID, `undefined` for "not yet", or an error. */
function readToken(risk: RiskApi): string | undefined {
  let value: unknown;
  try {
    value = risk.get_risk_token();
  } catch (cause) {
    throw new WePayRiskTokenError('api-error', DEV ? 'get_risk_token() threw.' : undefined, { cause });
  }
  if (isRiskToken(value)) return value.toLowerCase();
  if (isNotYet(value)) return undefined;
  throw new WePayRiskTokenError(
    'invalid-token',
    DEV ? `get_risk_token() gave a ${typeof value} that is not a UUID.` : undefined,
  );
}

export interface WaitOptions {
  /** Milliseconds before giving up with reason `timeout`. */
  timeout: number;
  /** Aborting stops waiting; the promise then never settles. */
  signal: AbortSignal;
}

/**
 * Resolves with the lower-cased UUID once `get_risk_token()` gives one, checking at once and then every
 * {@link POLL_INTERVAL_MS}. Rejects with `timeout`, `api-error` or `invalid-token`.
 */
export function waitForToken(risk: RiskApi, { timeout, signal }: WaitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return;
    let poll: ReturnType<typeof setTimeout> | undefined;
    const done = deadline(signal, timeout, () =>
      reject(new WePayRiskTokenError('timeout', DEV ? `Risk.js gave no token within ${timeout} ms.` : undefined)),
    );
    onAbort(done.signal, () => clearTimeout(poll));
    const check = () => {
      let token: string | undefined;
      try {
        token = readToken(risk);
      } catch (error) {
        done.abort();
        reject(error);
        return;
      }
      if (token === undefined) {
        poll = setTimeout(check, POLL_INTERVAL_MS);
      } else {
        done.abort();
        resolve(token);
      }
    };
    check();
  });
}
