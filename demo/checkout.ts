/**
 * What `POST /checkout` does, as a merchant's server would: read the risk token the form posted and the
 * shopper's IP, turn them into WePay's risk headers, and call `POST /credit_card/create` with them. It also
 * collects, for the result page, why a header was left out and what the WePay stand-in recorded.
 */
import type { IncomingMessage } from 'node:http';
import { clientIpFrom, DEFAULT_TOKEN_FIELD, RiskHeaderError, riskHeaders, riskTokenFrom } from '../src/server/index.js';
import type { RecordedCall } from './wepay-api-stand-in.js';

/** How the demo server reaches WePay. */
export interface WePayApi {
  /** e.g. `https://stage.wepayapi.com/v2`, or the local stand-in's URL. */
  base: string;
  /** Sent as `Authorization: Bearer …` when set. */
  accessToken?: string | undefined;
  /** Sent as `client_id` when set. */
  clientId?: string | undefined;
  /** Set when `base` is the local stand-in: its records are shown on the result page. */
  standInUrl?: string | undefined;
}

/** Form fields the demo page adds (through the `formdata` event) to report what the element was doing. */
export const ELEMENT_STATE_FIELD = 'demo_element_state';
export const ELEMENT_ERROR_FIELD = 'demo_element_error';

const ELEMENT_STATES = ['idle', 'loading', 'generating', 'ready', 'error', 'expired'] as const;
const ERROR_REASONS: Record<string, string> = {
  'load-failed': 'Risk.js did not load (network, ad blocker, CSP).',
  unavailable: 'Risk.js loaded but did not define WePay.risk.',
  'api-error': 'a WePay.risk method threw.',
  timeout: 'Risk.js gave no token within the element’s timeout.',
  'invalid-token': 'Risk.js gave a value that is not a UUID, which the element discarded.',
};

/** One risk header: its value when sent, or why it was left out. */
export interface HeaderOutcome {
  sent: string | null;
  reason: string | null;
}

export interface CheckoutResult {
  /** Every field the browser posted, in order, repeats included. */
  fields: Array<[string, string]>;
  tokenField: string;
  token: HeaderOutcome;
  /** What `clientIpFrom` found (before `riskHeaders` judged it). */
  clientIpFound: string | null;
  clientIp: HeaderOutcome;
  allowPrivateIp: boolean;
  call: {
    method: 'POST';
    url: string;
    /** As sent, except that the access token is masked. */
    headers: Record<string, string>;
    body: Record<string, unknown>;
  };
  /** WePay's answer, or why there was none. */
  response: { status: number; body: unknown } | { error: string };
  /** The stand-in's record of this call; `null` when WePay is not the stand-in or the record is missing. */
  recorded: RecordedCall | null;
}

/** The Authorization header as the result page shows it. */
export const MASKED_TOKEN = 'Bearer •••••••• (WEPAY_ACCESS_TOKEN, not shown)';
const API_TIMEOUT_MS = 10_000;

/**
 * The element's own account of itself, if the page sent one; only known values are believed. An error it
 * reported comes first, whatever its state when the form went: a submit after an error retries Risk.js,
 * so the state may read `loading` or `generating` again.
 */
function elementReport(body: URLSearchParams): string {
  const state = body.get(ELEMENT_STATE_FIELD);
  if (!ELEMENT_STATES.includes(state as (typeof ELEMENT_STATES)[number])) return '';
  const reason = body.get(ELEMENT_ERROR_FIELD) ?? '';
  if (Object.hasOwn(ERROR_REASONS, reason)) {
    const retrying =
      state === 'loading' || state === 'generating'
        ? ' Pay retried Risk.js, and the form went before that retry ended.'
        : '';
    return ` The element reported error “${reason}”: ${ERROR_REASONS[reason]}${retrying}`;
  }
  if (state === 'error') return ' The element reported an error.';
  if (state === 'ready') return ' The element reported “ready”, yet its input was empty.';
  if (state === 'expired') return ' The element’s token had expired (tokens last 48 hours), so it posted none.';
  return ` The element was still “${state}”: the shopper paid before Risk.js had produced a token.`;
}

function tokenOutcome(body: URLSearchParams, sent: string | undefined): HeaderOutcome {
  if (sent) return { sent, reason: null };
  const values = body.getAll(DEFAULT_TOKEN_FIELD);
  if (values.length === 0) {
    return {
      sent: null,
      reason: `No ${DEFAULT_TOKEN_FIELD} field was posted: the form has no <wepay-risk-token>, or its script never ran.`,
    };
  }
  if (values.length > 1) {
    return { sent: null, reason: `${DEFAULT_TOKEN_FIELD} was posted ${values.length} times; a token must come once.` };
  }
  const [value = ''] = values;
  if (value === '') {
    return { sent: null, reason: `No token posted: ${DEFAULT_TOKEN_FIELD} was empty.${elementReport(body)}` };
  }
  return {
    sent: null,
    reason: `The posted value is not a UUID, so it is not a risk token. (${strictReason({ token: value }, false)})`,
  };
}

function clientIpOutcome(found: string | null, sent: string | undefined, allowPrivateIp: boolean): HeaderOutcome {
  if (sent) return { sent, reason: null };
  if (found === null)
    return { sent: null, reason: 'The server could not tell the shopper’s IP address from the connection.' };
  const why = strictReason({ clientIp: found }, allowPrivateIp);
  return {
    sent: null,
    reason: allowPrivateIp
      ? `${found} cannot be sent. (${why})`
      : `${found} is not a public IP address, and production code leaves allowPrivateIp off. (${why})`,
  };
}

/** The server module's own words for why a value is left out: what `strict: true` would have thrown. */
function strictReason(input: { token?: string; clientIp?: string }, allowPrivateIp: boolean): string {
  try {
    riskHeaders(input, { strict: true, allowPrivateIp });
  } catch (error) {
    if (error instanceof RiskHeaderError) return error.message;
    throw error;
  }
  return 'no reason given';
}

/** The `/credit_card/create` body from the (fake) card fields; WePay wants digits and numbers. */
function cardBody(body: URLSearchParams, clientId: string | undefined): Record<string, unknown> {
  const digits = (name: string) => (body.get(name) ?? '').replace(/\D/g, '');
  const [month = '', year = ''] = (body.get('expiry') ?? '').split('/').map((part) => part.replace(/\D/g, ''));
  const card: Record<string, unknown> = {
    user_name: body.get('name') ?? '',
    email: body.get('email') ?? '',
    cc_number: digits('card_number'),
    cvv: digits('cvv'),
    expiration_month: Number(month) || null,
    expiration_year: year.length === 2 ? 2000 + Number(year) : Number(year) || null,
    address: { country: 'US', postal_code: body.get('postal_code') ?? '' },
  };
  return clientId ? { client_id: Number(clientId) || clientId, ...card } : card;
}

async function readAnswer(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 2000);
  }
}

async function recordedCall(api: WePayApi, response: Response): Promise<RecordedCall | null> {
  const id = response.headers.get('X-Stand-In-Call-Id');
  if (!api.standInUrl || !id || !/^\d+$/.test(id)) return null;
  const answer = await fetch(`${api.standInUrl}/__calls/${id}`, { signal: AbortSignal.timeout(API_TIMEOUT_MS) });
  return answer.ok ? ((await answer.json()) as RecordedCall) : null;
}

/**
 * Handles one checkout post: `body` is the urlencoded form, `request` the incoming request (for the IP).
 * `allowPrivateIp` is for local development only: on this machine the shopper is 127.0.0.1, which is not
 * a public address, so production code (the default, off) would leave `Client-IP` out.
 */
export async function checkout(
  request: IncomingMessage,
  body: URLSearchParams,
  api: WePayApi,
  { allowPrivateIp }: { allowPrivateIp: boolean },
): Promise<CheckoutResult> {
  const token = riskTokenFrom(body);
  // No proxy in front of the demo: the TCP peer is the shopper.
  const clientIpFound = clientIpFrom(request, { trustProxy: false });
  const risk = riskHeaders({ token, clientIp: clientIpFound }, { allowPrivateIp });

  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', ...risk };
  if (api.accessToken) headers['Authorization'] = `Bearer ${api.accessToken}`;
  const card = cardBody(body, api.clientId);
  const url = `${api.base.replace(/\/+$/, '')}/credit_card/create`;

  let response: CheckoutResult['response'];
  let recorded: RecordedCall | null = null;
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(card),
      redirect: 'error',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    response = { status: answer.status, body: await readAnswer(answer) };
    recorded = await recordedCall(api, answer);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    response = { error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }

  return {
    fields: [...body.entries()],
    tokenField: DEFAULT_TOKEN_FIELD,
    token: tokenOutcome(body, risk['WePay-Risk-Token']),
    clientIpFound,
    clientIp: clientIpOutcome(clientIpFound, risk['Client-IP'], allowPrivateIp),
    allowPrivateIp,
    call: {
      method: 'POST',
      url,
      headers: api.accessToken ? { ...headers, Authorization: MASKED_TOKEN } : headers,
      body: card,
    },
    response,
    recorded,
  };
}
