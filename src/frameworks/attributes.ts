/**
 * What every framework entry (`wepay-risk-token/react`, `/preact`, `/solid`, `/vue`, `/svelte`) declares
 * for `<wepay-risk-token>`, in the framework's own words. Type-only: nothing here exists at run time.
 * @module
 */

import type {
  WePayRiskTokenErrorEvent,
  WePayRiskTokenExpiredEvent,
  WePayRiskTokenReadyEvent,
  WePayRiskTokenSubmitEvent,
} from '../events.js';
import type { WePayRiskTokenConsent } from '../consent.js';
import type { Trigger as WePayRiskTokenTrigger } from '../triggers.js';
import type { WePayRiskTokenElement } from '../wepay-risk-token.js';

/**
 * Milliseconds, as a number or as a numeric string (`"500"`, the attribute form): the element reads both, from
 * an attribute or a property alike. A string literal that is no number (`"5s"`) does not type-check; a value
 * typed only as `string` (read from a URL, say) does not either, since its content is unknown: pass
 * `Number(value)`. Negative or too large values type-check as numbers do; the element warns and uses its default.
 */
export type WePayRiskTokenMilliseconds = number | `${number}`;

/** The attributes a page sets. */
export interface WePayRiskTokenAttributes {
  /** Name of the hidden input that carries the token. Default `wepay_risk_token`. */
  name?: string;
  /** Risk.js URL. Default `https://static.wepay.com/min/js/risk.js`. */
  src?: string;
  /** When to load Risk.js and ask for a token. Default `idle`. */
  trigger?: WePayRiskTokenTrigger;
  /** Milliseconds to wait for Risk.js to load, and then for a token. Default `10000`. */
  timeout?: WePayRiskTokenMilliseconds;
  /** Milliseconds a submit may be held for the token; `0` turns the guard off. Default `3000`. */
  'submit-wait'?: WePayRiskTokenMilliseconds;
  /** A submit without a token is not sent. */
  required?: boolean;
  /** CSP nonce for the injected Risk.js `<script>`. */
  nonce?: string;
  /** Id of the owning form when the element sits outside it. */
  form?: string;
  /**
   * Whether the shopper allowed device fingerprinting; until `granted`, nothing reaches WePay's hosts. Default
   * `window.WePayRiskToken.consent`, else `granted`.
   */
  consent?: WePayRiskTokenConsent;
}

/** An event of the element, dispatched on it: `currentTarget` is the element. */
type On<Event> = Event & { currentTarget: WePayRiskTokenElement };

/** The element's events by name. */
export interface WePayRiskTokenEvents {
  'wepay-risk-token-ready': On<WePayRiskTokenReadyEvent>;
  'wepay-risk-token-error': On<WePayRiskTokenErrorEvent>;
  'wepay-risk-token-expired': On<WePayRiskTokenExpiredEvent>;
  'wepay-risk-token-submit': On<WePayRiskTokenSubmitEvent>;
}

/** Listener props named `${prefix}${event name}`: `onwepay-risk-token-ready` (React 19, Preact, Svelte 5), `on:wepay-risk-token-ready` (Solid). */
export type WePayRiskTokenListeners<Prefix extends string> = {
  [Type in keyof WePayRiskTokenEvents as `${Prefix}${Type}`]?: (event: WePayRiskTokenEvents[Type]) => void;
};
