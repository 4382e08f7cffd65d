/** @jsxImportSource preact */
// Type test: `wepay-risk-token/preact` declares <wepay-risk-token> in Preact's JSX. Each
// `@ts-expect-error` line is a usage that must not compile; if it ever compiles, tsc fails on the unused
// directive.
import type {} from 'wepay-risk-token/preact';
import { useRef } from 'preact/hooks';
import type { WePayRiskTokenElement, WePayRiskTokenErrorReason } from 'wepay-risk-token';

export function Checkout({ seconds }: { seconds: number }) {
  const waitFromUrl = new URLSearchParams(location.search).get('wait') ?? '3000';
  const risk = useRef<WePayRiskTokenElement>(null);
  const input = useRef<HTMLInputElement>(null);
  return (
    <form method="post" action="/checkout">
      <wepay-risk-token
        ref={risk}
        id="risk"
        class="risk"
        name="risk_token"
        src="https://static.wepay.com/min/js/risk.js"
        trigger="interaction"
        timeout={5000}
        submit-wait={0}
        required
        nonce="r4nd0m"
        form="checkout"
        onwepay-risk-token-ready={(event) => {
          const token: string = event.detail.token;
          console.log(token, event.currentTarget.state);
        }}
        onwepay-risk-token-error={(event) => {
          const reason: WePayRiskTokenErrorReason = event.detail.reason;
          console.log(reason, event.detail.error.message);
        }}
        onwepay-risk-token-expired={(event) => console.log(event.detail.token)}
      />
      {/* Numbers may come as numeric strings, the attribute form; the element reads both. */}
      <wepay-risk-token timeout="5000" submit-wait="500" />
      <wepay-risk-token timeout={`${seconds * 1000}`} submit-wait={Number(waitFromUrl)} />
      <button onClick={() => risk.current?.generate()}>Pay</button>

      {/* @ts-expect-error -- "later" is not a trigger */}
      <wepay-risk-token trigger="later" />
      {/* @ts-expect-error -- "5s" is not a number of milliseconds */}
      <wepay-risk-token timeout="5s" />
      {/* @ts-expect-error -- "soon" is not a number of milliseconds */}
      <wepay-risk-token submit-wait="soon" />
      {/* @ts-expect-error -- an object is not a number of milliseconds */}
      <wepay-risk-token submit-wait={{ ms: 500 }} />
      {/* @ts-expect-error -- a string of unknown content: pass Number(waitFromUrl) */}
      <wepay-risk-token submit-wait={waitFromUrl} />
      {/* @ts-expect-error -- the ready listener gets the element's event, not a MouseEvent */}
      <wepay-risk-token onwepay-risk-token-ready={(event: MouseEvent) => event.clientX} />
      {/* @ts-expect-error -- the ready event's detail has no reason */}
      <wepay-risk-token onwepay-risk-token-ready={(event) => event.detail.reason} />
      {/* @ts-expect-error -- ref is the element, not an input */}
      <wepay-risk-token ref={input} />
      {/* @ts-expect-error -- state is read-only: the element sets it */}
      <wepay-risk-token state="ready" />
    </form>
  );
}
