// First: it must run before the element's module imports Lit (see there).
import { returnHTMLElement } from './lent-html-element.js';
import { WePayRiskTokenElement } from './wepay-risk-token.js';
import type {
  WePayRiskTokenErrorEvent,
  WePayRiskTokenExpiredEvent,
  WePayRiskTokenReadyEvent,
  WePayRiskTokenSubmitEvent,
} from './events.js';

returnHTMLElement();

/**
 * Registers `<wepay-risk-token>` once. A second call, a second copy of the package on the page, or a runtime
 * without custom elements (Node, SSR) is not an error.
 */
export function defineWePayRiskToken(): void {
  const registry = globalThis.customElements;
  if (!registry || registry.get('wepay-risk-token')) return;
  registry.define('wepay-risk-token', WePayRiskTokenElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'wepay-risk-token': WePayRiskTokenElement;
  }
  interface GlobalEventHandlersEventMap {
    'wepay-risk-token-ready': WePayRiskTokenReadyEvent;
    'wepay-risk-token-error': WePayRiskTokenErrorEvent;
    'wepay-risk-token-expired': WePayRiskTokenExpiredEvent;
    'wepay-risk-token-submit': WePayRiskTokenSubmitEvent;
  }
}
