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

interface Waiter {
  resolve(token: string): void;
  reject(error: WePayRiskTokenError): void;
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
    `WePay.risk.get_risk_token() returned a ${typeof value} that is not a UUID; it was discarded.`,
  );
}

/** One poll loop per Risk.js instance, however many elements wait on it. */
class TokenPoll {
  readonly #risk: RiskApi;
  readonly #waiters = new Set<Waiter>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(risk: RiskApi) {
    this.#risk = risk;
  }

  add(waiter: Waiter): void {
    this.#waiters.add(waiter);
    if (this.#timer === undefined) this.#tick();
  }

  remove(waiter: Waiter): void {
    this.#waiters.delete(waiter);
    if (this.#waiters.size === 0) this.#stop();
  }

  #tick = (): void => {
    this.#timer = undefined;
    let token: string | undefined;
    try {
      token = readToken(this.#risk);
    } catch (error) {
      this.#settle((waiter) => waiter.reject(error as WePayRiskTokenError));
      return;
    }
    if (token === undefined) {
      this.#timer = setTimeout(this.#tick, POLL_INTERVAL_MS);
    } else {
      this.#settle((waiter) => waiter.resolve(token));
    }
  };

  #settle(notify: (waiter: Waiter) => void): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    this.#stop();
    for (const waiter of waiters) notify(waiter);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

const polls = new WeakMap<RiskApi, TokenPoll>();

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
  let poll = polls.get(risk);
  if (!poll) polls.set(risk, (poll = new TokenPoll(risk)));
  const shared = poll;

  return new Promise((resolve, reject) => {
    if (signal.aborted) return;
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      shared.remove(waiter);
    };
    const waiter: Waiter = {
      resolve: (token) => (finish(), resolve(token)),
      reject: (error) => (finish(), reject(error)),
    };
    const timer = setTimeout(
      () => waiter.reject(new WePayRiskTokenError('timeout', `Risk.js gave no token within ${timeout} ms.`)),
      timeout,
    );
    signal.addEventListener('abort', finish);
    shared.add(waiter);
  });
}
