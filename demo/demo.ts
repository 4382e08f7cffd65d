/**
 * The checkout page's script: defines `<wepay-risk-token>` (by importing the package root) and mirrors what
 * the element does in the status panel, from its reflected `state` attribute and its two events. It also
 * shows the device-profiling requests Risk.js made for the token (`…/fp/check.js` and `…/fp/clear.png`,
 * whose `session_id` is the token), as the browser's resource timing lists them.
 *
 * Demo only: it also tells the server, in two extra form fields, what the element was doing when the form
 * was sent, so the result page can explain a missing token. A real checkout needs none of this.
 */
import { WePayRiskTokenElement, type WePayRiskTokenState } from '../src/index.js';

const STEPS: readonly WePayRiskTokenState[] = ['loading', 'generating', 'ready'];

const WAITING: Record<string, string> = {
  idle: 'Waiting for the page to be idle.',
  eager: 'Starting at once.',
  visible: 'Waiting for the form to scroll into view.',
  interaction: 'Waiting for you to touch the form (focus a field, click, type).',
  manual: 'Waiting for “Generate now” (or a script) to call generate().',
};

/** Keyed by string: a state this page does not know yet is shown by name. */
const DESCRIPTION: Record<string, string> = {
  loading: 'Loading Risk.js…',
  generating: 'Risk.js is making a token…',
  ready: 'Token ready. It will post with the form.',
  error: 'No token.',
  expired: 'The token grew too old to post (tokens last 48 h); the input is empty again.',
};

function required<T extends Element>(selector: string, type: new () => T): T {
  const found = document.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`demo: ${selector} is missing`);
  return found;
}

const element = required('wepay-risk-token', WePayRiskTokenElement);
const form = required('#checkout', HTMLFormElement);
const badge = required('#state', HTMLElement);
const stateText = required('#state-text', HTMLElement);
const tokenText = required('#token', HTMLElement);
const posted = required('#posted', HTMLElement);
const errorBox = required('#error', HTMLElement);
const generateButton = required('#generate', HTMLButtonElement);
const profilingSummary = required('#profiling-summary', HTMLElement);
const profilingList = required('#profiling-requests', HTMLUListElement);

const pageStart = performance.now();
const reachedAt = new Map<WePayRiskTokenState, number>();
/**
 * The reason of the last error the element reported, until a token arrives. Kept apart from `state`: a
 * submit after an error retries Risk.js, so the state may read `generating` again when the form goes.
 */
let reportedError: string | null = null;

/** Risk.js's device-profiling requests the browser has made so far. */
const profilingRequests: PerformanceResourceTiming[] = [];

function isProfilingRequest(entry: PerformanceEntry): entry is PerformanceResourceTiming {
  const path = new URL(entry.name).pathname;
  return path.endsWith('/fp/check.js') || path.endsWith('/fp/clear.png');
}

function renderProfiling(): void {
  const token = element.token;
  const forToken = profilingRequests.filter((entry) => new URL(entry.name).searchParams.get('session_id') === token);
  profilingList.replaceChildren(
    ...forToken.map((entry) => {
      const item = document.createElement('li');
      const url = document.createElement('code');
      url.className = 'wrap';
      url.textContent = `GET ${entry.name}`;
      const status = entry.responseStatus > 0 ? `, ${entry.responseStatus}` : '';
      item.append(url, ` (+${Math.round(entry.startTime - pageStart)} ms${status})`);
      return item;
    }),
  );
  profilingSummary.textContent =
    token === null
      ? 'No token yet, so no profiling to show.'
      : forToken.length > 0
        ? 'Risk.js profiled this device for the token the form will post:'
        : 'No profiling request for this token (yet). If it never comes, the requests were blocked (CSP, an ad blocker) and WePay gets the token unprofiled.';
}

new PerformanceObserver((list) => {
  profilingRequests.push(...list.getEntries().filter(isProfilingRequest));
  renderProfiling();
}).observe({ type: 'resource', buffered: true });

function postedValue(): string {
  return element.querySelector<HTMLInputElement>(':scope > input[type="hidden"]')?.value ?? '';
}

function render(): void {
  const state = element.state;
  if (!reachedAt.has(state)) reachedAt.set(state, performance.now() - pageStart);

  badge.textContent = state;
  badge.dataset['state'] = state;
  stateText.textContent = (state === 'idle' ? WAITING[element.trigger] : DESCRIPTION[state]) ?? '';

  let failedYet = false;
  for (const step of STEPS) {
    const item = document.querySelector<HTMLElement>(`#steps [data-step="${step}"]`);
    if (!item) continue;
    const at = reachedAt.get(step);
    item.dataset['status'] = at !== undefined ? 'done' : state === 'error' && !failedYet ? 'failed' : 'pending';
    if (item.dataset['status'] === 'failed') failedYet = true;
    const time = item.querySelector('.step-time');
    if (time) time.textContent = at === undefined ? '' : `+${Math.round(at)} ms`;
  }

  tokenText.textContent = element.token ?? (state === 'error' ? 'none' : 'none yet');
  posted.textContent = `${element.name}=${postedValue()}`;
  generateButton.disabled = state === 'ready' || state === 'loading' || state === 'generating';
  renderProfiling();
}

new MutationObserver(render).observe(element, { attributes: true, attributeFilter: ['state'] });

// The element marks the form busy while it holds a submit that came before the token.
const held = required('#held', HTMLElement);
new MutationObserver(() => {
  held.hidden = form.getAttribute('aria-busy') !== 'true';
}).observe(form, { attributes: true, attributeFilter: ['aria-busy'] });

element.addEventListener('wepay-risk-token-ready', () => {
  reportedError = null;
  render();
});

element.addEventListener('wepay-risk-token-error', (event) => {
  reportedError = event.detail.reason;
  errorBox.hidden = false;
  required('#error-reason', HTMLElement).textContent = event.detail.reason;
  required('#error-message', HTMLElement).textContent = event.detail.error.message;
  if (element.required) {
    required('#error-consequence', HTMLElement).textContent =
      'This element is required: the form will not be sent without a token.';
  }
  render();
});

generateButton.addEventListener('click', () => {
  errorBox.hidden = true;
  // The outcome arrives as an event too, which renders it.
  element.generate().catch(() => undefined);
});

form.addEventListener('formdata', (event) => {
  event.formData.set('demo_element_state', element.state);
  if (reportedError !== null) event.formData.set('demo_element_error', reportedError);
  if (element.hasAttribute('data-demo-tamper')) {
    event.formData.set(element.name, `tampered-${postedValue() || 'empty'}`);
  }
});

render();
