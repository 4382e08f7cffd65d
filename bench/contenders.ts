/**
 * The checkout pages the benchmark compares: one form, five ways of getting a risk token into it. Every page
 * loads Risk.js from `riskSrc` (the bench server's stand-in) and posts to `action`.
 */
export type ContenderId = 'a' | 'b' | 'c' | 'd' | 'e';

export interface Contender {
  id: ContenderId;
  /** A few words for the table. */
  label: string;
  /** What the page does, for the README and the results file. */
  description: string;
  page(riskSrc: string, action: string): string;
}

export function checkout(
  { head, field, tail = '' }: { head: string; field: string; tail?: string },
  action: string,
): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout</title>${head}</head>
<body>
<h1>Checkout</h1>
<form method="post" action="${action}">
<label>Email <input name="email" value="shopper@example.com"></label>
${field}
<button>Pay</button>
</form>
${tail}
</body></html>`;
}

const HIDDEN_FIELD = '<input type="hidden" name="wepay_risk_token" id="wepay_risk_token">';

/** WePay's documented lines (jQuery's `$(document).ready`, here without jQuery). */
const DOM_READY_SNIPPET = `<script>
document.addEventListener('DOMContentLoaded', function () {
  WePay.risk.generate_risk_token();
  document.getElementById('wepay_risk_token').value = WePay.risk.get_risk_token();
});
</script>`;

const SUBMIT_HANDLER = `<script>
document.querySelector('form').addEventListener('submit', function () {
  document.getElementById('wepay_risk_token').value = WePay.risk.get_risk_token();
});
</script>`;

const ELEMENT_MODULE = '<script type="module" src="/wepay-risk-token.min.js"></script>';

export const CONTENDERS: readonly Contender[] = [
  {
    id: 'a',
    label: '(a) snippet',
    description:
      "WePay's snippet as documented: a synchronous <script src=risk.js> in <head>, then on DOMContentLoaded " +
      'generate_risk_token() and get_risk_token() into a hidden field.',
    page: (riskSrc, action) =>
      checkout({ head: `<script src="${riskSrc}"></script>`, field: HIDDEN_FIELD, tail: DOM_READY_SNIPPET }, action),
  },
  {
    id: 'b',
    label: '(b) async snippet',
    description: 'The same with <script async>: the DOMContentLoaded lines race the script.',
    page: (riskSrc, action) =>
      checkout(
        { head: `<script async src="${riskSrc}"></script>`, field: HIDDEN_FIELD, tail: DOM_READY_SNIPPET },
        action,
      ),
  },
  {
    id: 'c',
    label: '(c) auto + submit',
    description:
      "The synchronous <script> in <head>, no generate call: the site relies on Risk.js's own generation 5 s " +
      'after load and copies get_risk_token() into the hidden field in its submit handler.',
    page: (riskSrc, action) =>
      checkout({ head: `<script src="${riskSrc}"></script>`, field: HIDDEN_FIELD, tail: SUBMIT_HANDLER }, action),
  },
  {
    id: 'd',
    label: '(d) element',
    description: '<wepay-risk-token> with its defaults (trigger="idle", submit-wait 3 s), from the standalone module.',
    page: (riskSrc, action) =>
      checkout({ head: ELEMENT_MODULE, field: `<wepay-risk-token src="${riskSrc}"></wepay-risk-token>` }, action),
  },
  {
    id: 'e',
    label: '(e) element, eager',
    description: '<wepay-risk-token trigger="eager">: loads Risk.js and generates as soon as it is defined.',
    page: (riskSrc, action) =>
      checkout(
        { head: ELEMENT_MODULE, field: `<wepay-risk-token trigger="eager" src="${riskSrc}"></wepay-risk-token>` },
        action,
      ),
  },
];
