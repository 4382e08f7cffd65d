import { WePayRiskTokenError } from './errors.js';

/** The part of `window.WePay.risk` the element uses. */
export interface RiskApi {
  generate_risk_token(): unknown;
  get_risk_token(): unknown;
}

/** How often `get_risk_token()` is asked while a token is being made. */
export const POLL_INTERVAL_MS = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** All zeros or all ones: UUID-shaped, but no token that Risk.js made (the server helper refuses them too). */
const PLACEHOLDERS = new Set(['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);

/** A risk token is a UUID of any version, in either case. */
export function isRiskToken(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID.test(value) && !PLACEHOLDERS.has(value.toLowerCase());
}

/** Values Risk.js may plausibly give before the token exists. */
function isNotYet(value: unknown): boolean {
  return value === 0 || value === '0' || value === '' || value === null || value === undefined;
}

/** When `generate_risk_token()` was called, per Risk.js instance: it is called once per page. */
const generatedAt = new WeakMap<RiskApi, number>();

/** Calls `generate_risk_token()` unless this Risk.js instance was already asked; returns when it was asked. */
export function generateOnce(risk: RiskApi): number {
  const asked = generatedAt.get(risk);
  if (asked !== undefined) return asked;
  try {
    risk.generate_risk_token();
  } catch (cause) {
    throw new WePayRiskTokenError('api-error', 'WePay.risk.generate_risk_token() threw.', { cause });
  }
  const now = Date.now();
  generatedAt.set(risk, now);
  return now;
}

/** Reads `get_risk_token()` once: a lower-cased UUID, `undefined` for "not yet", or an error. */
function readToken(risk: RiskApi): string | undefined {
  let value: unknown;
  try {
    value = risk.get_risk_token();
  } catch (cause) {
    throw new WePayRiskTokenError('api-error', 'WePay.risk.get_risk_token() threw.', { cause });
  }
  if (isRiskToken(value)) return value.toLowerCase();
  if (isNotYet(value)) return undefined;
  throw new WePayRiskTokenError(
    'invalid-token',
    `get_risk_token() gave a ${typeof value} that is not a UUID.`,
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
    const finish = () => {
      clearTimeout(poll);
      clearTimeout(deadline);
      signal.removeEventListener('abort', finish);
    };
    const deadline = setTimeout(() => {
      finish();
      reject(new WePayRiskTokenError('timeout', `Risk.js gave no token within ${timeout} ms.`));
    }, timeout);
    const check = () => {
      let token: string | undefined;
      try {
        token = readToken(risk);
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (token === undefined) {
        poll = setTimeout(check, POLL_INTERVAL_MS);
      } else {
        finish();
        resolve(token);
      }
    };
    signal.addEventListener('abort', finish);
    check();
  });
}
