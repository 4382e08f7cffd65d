import 'wepay-risk-token';
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

// The local Risk.js stand-in: a token 50 ms after it is asked for, and no generation on its own.
const RISK_JS = '/risk.js?auto=off&latency=50';

/** Counts the element's ref attachments, so a test sees StrictMode at work (it attaches refs twice). */
function countAttachment(element) {
  if (element) window.riskTokenAttachments = (window.riskTokenAttachments ?? 0) + 1;
}

/** A plain form post: the hidden input posts with the form. */
function NativePost() {
  return (
    <form method="post" action="/checkout">
      <wepay-risk-token ref={countAttachment} src={RISK_JS}></wepay-risk-token>
      <button id="pay">Pay</button>
    </form>
  );
}

/** A fetch submit that asks the element for the token first, as the README shows. */
function FetchSubmit() {
  const risk = useRef(null);
  const [status, setStatus] = useState('');
  async function pay(event) {
    event.preventDefault();
    const form = event.currentTarget;
    await risk.current.generate().catch(() => {});
    const response = await fetch('/checkout', { method: 'POST', body: new FormData(form) });
    setStatus(response.ok ? 'paid' : 'failed');
  }
  return (
    <form onSubmit={pay}>
      <wepay-risk-token ref={risk} src={RISK_JS} trigger="manual"></wepay-risk-token>
      <button id="pay">Pay</button>
      <output id="status">{status}</output>
    </form>
  );
}

/**
 * A React 19 form action. React builds its FormData from the submit, so a token that comes later cannot reach
 * it: the element's submit guard holds the submit until the token is in the input.
 */
function FormAction() {
  const [status, setStatus] = useState('');
  async function pay(formData) {
    const response = await fetch('/checkout', { method: 'POST', body: formData });
    setStatus(response.ok ? 'paid' : 'failed');
  }
  return (
    <form action={pay}>
      <wepay-risk-token src={RISK_JS} trigger="manual"></wepay-risk-token>
      <button id="pay">Pay</button>
      <output id="status">{status}</output>
    </form>
  );
}

/** A new `key` makes React drop the element and mount a fresh one. */
function KeyRemount() {
  const [key, setKey] = useState(0);
  return (
    <form method="post" action="/checkout">
      <wepay-risk-token key={key} src={RISK_JS}></wepay-risk-token>
      <button id="remount" type="button" onClick={() => setKey(key + 1)}>
        Remount
      </button>
      <button id="pay">Pay</button>
    </form>
  );
}

const cases = { native: NativePost, fetch: FetchSubmit, action: FormAction, remount: KeyRemount };
const Checkout = cases[new URLSearchParams(location.search).get('case')] ?? NativePost;
const strict = new URLSearchParams(location.search).has('strict');

createRoot(document.getElementById('root')).render(
  strict ? (
    <StrictMode>
      <Checkout />
    </StrictMode>
  ) : (
    <Checkout />
  ),
);
