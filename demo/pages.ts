/**
 * The demo's server-rendered HTML: the checkout page's slots (filled into demo/index.html) and the
 * `/checkout` result page. Everything echoed goes through `html`, which escapes it.
 */
import type { CheckoutResult, HeaderOutcome } from './checkout.js';
import { ELEMENT_ERROR_FIELD, ELEMENT_STATE_FIELD } from './checkout.js';
import { html, type SafeHtml } from './html.js';
import {
  riskScriptSrc,
  scenarioFrom,
  scenarioQuery,
  SCENARIO_LINKS,
  STAND_IN_PATH,
  type RiskSource,
  type Scenario,
} from './scenario.js';

/** How the server is set up, for the sentences that describe it. */
export interface DemoSetup {
  defaultRisk: RiskSource;
  apiBase: string;
  apiIsStandIn: boolean;
}

const PRIVATE_IP_NOTE = html`This demo runs on your machine, so the shopper’s address is the loopback
  <code>127.0.0.1</code>, which is not a public IP. The demo passes
  <code>riskHeaders(…, { allowPrivateIp: true })</code> so you can see <code>Client-IP</code> travel. Production code
  leaves <code>allowPrivateIp</code> off: WePay wants the shopper’s public address, and behind a load balancer
  <code>trustProxy</code> says how many proxies to skip.`;

const PRODUCTION_IP_NOTE = html`This scenario posts to <code>/checkout?allow-private-ip=no</code>: the server calls
  <code>riskHeaders</code> as production code does, with <code>allowPrivateIp</code> off, so the loopback
  <code>127.0.0.1</code> is left out of <code>Client-IP</code>. The result page says so.`;

function scenarioLinks(current: Scenario, defaultRisk: RiskSource): SafeHtml[] {
  const currentQuery = scenarioQuery(current, defaultRisk);
  return SCENARIO_LINKS.map((link) => {
    const query = scenarioQuery(scenarioFrom(new URLSearchParams(link.query), 'stand-in'), defaultRisk);
    const isCurrent = query === currentQuery;
    return html`<li>
      <a href="/${query}" ${isCurrent ? html`aria-current="page"` : ''}>${link.label}</a>
      <span class="outcome">${link.outcome}</span>
    </li>`;
  });
}

function riskTokenElement(scenario: Scenario): SafeHtml {
  const src = riskScriptSrc(scenario);
  const attributes = [
    src === null ? '' : html` src="${src}"`,
    scenario.timeout === null ? '' : html` timeout="${scenario.timeout}"`,
    scenario.trigger === null ? '' : html` trigger="${scenario.trigger}"`,
    scenario.submitWait === null ? '' : html` submit-wait="${scenario.submitWait}"`,
    scenario.required ? html` required` : '',
    scenario.tamper ? html` data-demo-tamper` : '',
  ];
  return html`<wepay-risk-token${attributes}></wepay-risk-token>`;
}

function riskDetail(scenario: Scenario): SafeHtml {
  if (scenario.risk === 'real') {
    return html`WePay’s own, from <code>static.wepay.com</code> (the element’s default <code>src</code>). Needs the
      internet; offline it ends in “load-failed”.`;
  }
  const src = riskScriptSrc(scenario) ?? '';
  if (!src.startsWith(STAND_IN_PATH)) return html`A URL that answers 404, so the script fails to load.`;
  return html`The offline stand-in, <code>${STAND_IN_PATH}</code>, configured by its query.`;
}

/** Fills demo/index.html's `{{slots}}` for `scenario`. */
export function renderCheckoutPage(template: string, scenario: Scenario, setup: DemoSetup): string {
  const slots: Record<string, SafeHtml> = {
    'risk-token': riskTokenElement(scenario),
    'risk-token-markup': html`${riskTokenElement(scenario).toString()}`,
    'risk-summary':
      scenario.risk === 'real'
        ? html`WePay’s real script (this page then needs the internet)`
        : html`an offline stand-in`,
    'api-summary': setup.apiIsStandIn
      ? html`a local stand-in of its API`
      : html`the API at <code>${setup.apiBase}</code>, with card details that are test values`,
    'risk-detail': riskDetail(scenario),
    'checkout-action': html`/checkout${scenarioQuery(scenario, setup.defaultRisk)}`,
    scenarios: html`${scenarioLinks(scenario, setup.defaultRisk)}`,
    'ip-note': scenario.allowPrivateIp ? PRIVATE_IP_NOTE : PRODUCTION_IP_NOTE,
  };
  return template.replace(/\{\{([a-z-]+)\}\}/g, (slot, name: string) => slots[name]?.toString() ?? slot);
}

/** `url` with a line-break opportunity after each `/`, so a narrow screen breaks it between path segments. */
function breakableUrl(url: string): SafeHtml {
  return html`${url.split('/').map((part, index) => (index === 0 ? part : html`/<wbr />${part}`))}`;
}

function outcomeCell(header: string, outcome: HeaderOutcome): SafeHtml {
  return outcome.sent !== null
    ? html`<td data-header="${header}"><code class="token">${outcome.sent}</code></td>`
    : html`<td data-header="${header}" class="missing">
        <strong>not sent</strong> <span class="reason">${outcome.reason}</span>
      </td>`;
}

function summaryItem(header: string, outcome: HeaderOutcome): SafeHtml {
  return outcome.sent !== null
    ? html`<li class="ok"><span class="mark" aria-hidden="true">✓</span> <code>${header}</code> sent</li>`
    : html`<li class="warn">
        <span class="mark" aria-hidden="true">!</span> <code>${header}</code> left out: ${outcome.reason}
      </li>`;
}

function fieldsTable(result: CheckoutResult): SafeHtml {
  const demoFields = [ELEMENT_STATE_FIELD, ELEMENT_ERROR_FIELD];
  const rows = result.fields.map(([name, value]) => {
    const isToken = name === result.tokenField;
    const note = isToken
      ? html` <span class="tag">risk token</span>`
      : demoFields.includes(name)
        ? html` <span class="tag muted">demo only</span>`
        : '';
    return html`<tr class="${isToken ? 'highlight' : ''}" ${isToken ? html`data-field="token"` : ''}>
      <th scope="row"><code>${name}</code>${note}</th>
      <td>
        ${isToken ? html`<mark class="${value === '' ? 'empty' : ''}">${value === '' ? '(empty)' : value}</mark>` : value}
      </td>
    </tr>`;
  });
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Field</th>
        <th scope="col">Value</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function sentHeadersTable(result: CheckoutResult): SafeHtml {
  const riskNames = ['WePay-Risk-Token', 'Client-IP'];
  const rows = Object.entries(result.call.headers)
    .filter(([name]) => !riskNames.includes(name))
    .map(
      ([name, value]) =>
        html`<tr>
          <th scope="row"><code>${name}</code></th>
          <td><code>${value}</code></td>
        </tr>`,
    );
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Header</th>
        <th scope="col">Value</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
      <tr class="highlight">
        <th scope="row"><code>WePay-Risk-Token</code></th>
        ${outcomeCell('WePay-Risk-Token', result.token)}
      </tr>
      <tr class="highlight">
        <th scope="row"><code>Client-IP</code></th>
        ${outcomeCell('Client-IP', result.clientIp)}
      </tr>
    </tbody>
  </table>`;
}

function receivedCell(header: 'WePay-Risk-Token' | 'Client-IP', value: string | null): SafeHtml {
  return value === null
    ? html`<td data-received="${header}" class="missing"><strong>not received</strong></td>`
    : html`<td data-received="${header}"><code class="token">${value}</code></td>`;
}

function wepaySection(result: CheckoutResult, setup: DemoSetup): SafeHtml {
  const answer =
    'error' in result.response
      ? html`<p class="missing" data-api-error>The call failed: ${result.response.error}</p>`
      : html`<p>WePay answered <strong data-status>${result.response.status}</strong>:</p>
          <pre>${JSON.stringify(result.response.body, null, 2)}</pre>`;

  const recorded = result.recorded;
  const record = recorded
    ? html`<table data-recorded-call="${recorded.id}">
          <tbody>
            <tr>
              <th scope="row">Call</th>
              <td><code>${recorded.method} ${recorded.path}</code> (#${recorded.id})</td>
            </tr>
            <tr class="highlight">
              <th scope="row"><code>WePay-Risk-Token</code></th>
              ${receivedCell('WePay-Risk-Token', recorded.headers['WePay-Risk-Token'])}
            </tr>
            <tr class="highlight">
              <th scope="row"><code>Client-IP</code></th>
              ${receivedCell('Client-IP', recorded.headers['Client-IP'])}
            </tr>
            <tr>
              <th scope="row"><code>Authorization</code></th>
              <td>${recorded.authorized ? 'present (value not recorded)' : 'none (WEPAY_ACCESS_TOKEN not set)'}</td>
            </tr>
          </tbody>
        </table>
        <p class="hint">
          Every call the stand-in recorded: <a href="${setup.apiBase}/__calls"><code>${setup.apiBase}/__calls</code></a>
        </p>`
    : setup.apiIsStandIn
      ? html`<p class="missing">The stand-in has no record of this call.</p>`
      : html`<p class="hint">
          This is WePay’s API at <code>${setup.apiBase}</code>, not the local stand-in, so there is no record to show
          here.
        </p>`;

  return html`<section class="card" aria-labelledby="received-title">
    <h2 id="received-title">
      <span class="step-number">3</span>
      ${setup.apiIsStandIn ? 'What the WePay stand-in received' : 'What WePay answered'}
    </h2>
    ${record} ${answer}
  </section>`;
}

/** The `/checkout` result page. `backHref` leads to the same scenario's checkout page. */
export function renderResultPage(result: CheckoutResult, setup: DemoSetup, backHref: string): string {
  const bothSent = result.token.sent !== null && result.clientIp.sent !== null;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>Checkout result · wepay-risk-token demo</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/demo/demo.css" />
      </head>
      <body class="narrow result">
        <header class="masthead">
          <p class="eyebrow">wepay-risk-token demo</p>
          <h1>Checkout result</h1>
          <div class="summary ${bothSent ? 'ok' : 'warn'}" role="status">
            <p>
              <strong>${bothSent ? 'WePay got both risk headers.' : 'WePay did not get every risk header.'}</strong>
            </p>
            <ul>
              ${summaryItem('WePay-Risk-Token', result.token)}${summaryItem('Client-IP', result.clientIp)}
            </ul>
          </div>
          <p><a class="back" href="${backHref}">← Back to the checkout form</a></p>
        </header>

        <main class="stack">
          <section class="card" aria-labelledby="posted-title">
            <h2 id="posted-title"><span class="step-number">1</span> What the browser posted</h2>
            <p class="hint">Every field of the urlencoded body, as the server received it.</p>
            ${fieldsTable(result)}
          </section>

          <section class="card" aria-labelledby="sent-title">
            <h2 id="sent-title"><span class="step-number">2</span> What the demo server sent</h2>
            <p><code>${result.call.method} ${breakableUrl(result.call.url)}</code></p>
            <pre class="code">
const token = riskTokenFrom(body);
const clientIp = clientIpFrom(req, {
  trustProxy: false,
});
riskHeaders(
  { token, clientIp },
  { allowPrivateIp: ${String(result.allowPrivateIp)} },
);</pre>
            <p class="hint">
              <code>clientIpFrom</code> found <code>${result.clientIpFound ?? 'no address'}</code>.
              ${
                result.allowPrivateIp
                  ? html`<code>allowPrivateIp: true</code> is for this local demo only (127.0.0.1 is not a public IP);
                      production leaves it off.`
                  : html`<code>allowPrivateIp</code> is off, as in production: only a public address is sent.`
              }
            </p>
            ${sentHeadersTable(result)}
            <details>
              <summary>JSON body (test card data)</summary>
              <pre>${JSON.stringify(result.call.body, null, 2)}</pre>
            </details>
          </section>

          ${wepaySection(result, setup)}

          <p><a class="back" href="${backHref}">← Back to the checkout form</a></p>
        </main>
      </body>
    </html> `.toString();
}

/** A short error page (bad request, wrong origin…). */
export function renderMessagePage(title: string, message: string): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · wepay-risk-token demo</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/demo/demo.css" />
      </head>
      <body>
        <main class="stack">
          <section class="card">
            <h1>${title}</h1>
            <p>${message}</p>
            <p><a class="back" href="/">← Back to the checkout form</a></p>
          </section>
        </main>
      </body>
    </html> `.toString();
}
