import { useEffect, useRef } from 'react';
import 'wepay-risk-token';

/** Where the page records what reached it; `globalThis`, as the server renders these components too. */
function recordReady(event) {
  globalThis.readyTokens.push(event.detail.token);
}

/**
 * As docs/frameworks.md shows for server-rendered React: the hidden input in the markup, so that React hydrates
 * the element's children as it rendered them, and the element's events through a ref.
 */
export function Checkout() {
  const risk = useRef(null);
  useEffect(() => {
    const element = risk.current;
    element.addEventListener('wepay-risk-token-ready', recordReady);
    return () => element.removeEventListener('wepay-risk-token-ready', recordReady);
  }, []);
  return (
    <form method="post" action="/pay">
      <wepay-risk-token ref={risk} suppressHydrationWarning>
        <input type="hidden" name="wepay_risk_token" />
      </wepay-risk-token>
      <button id="pay">Pay</button>
    </form>
  );
}

/** As a client-only app writes it: the element adds its hidden input itself, which React did not render. */
export function BareCheckout() {
  return (
    <form method="post" action="/pay">
      <wepay-risk-token />
      <button id="pay">Pay</button>
    </form>
  );
}

/** The documented markup, with the listener as an `onwepay-risk-token-ready` prop instead of through a ref. */
export function PropListenerCheckout() {
  return (
    <form method="post" action="/pay">
      <wepay-risk-token onwepay-risk-token-ready={recordReady} suppressHydrationWarning>
        <input type="hidden" name="wepay_risk_token" />
      </wepay-risk-token>
      <button id="pay">Pay</button>
    </form>
  );
}

export const CHECKOUTS = { documented: Checkout, bare: BareCheckout, 'prop-listener': PropListenerCheckout };
