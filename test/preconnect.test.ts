import { expect, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { WePayRiskTokenElement } from '../src/index.js';
import { checkoutForm, postsTo } from './support/frames.js';
import {
  UUID,
  WEPAY_PROFILING,
  answerWePayHosts,
  eachTestOnACleanPage,
  scriptsFor,
  standInUrl,
  stateBecomes,
  wepayStandInUrl,
} from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

/** WePay's Risk.js host, as the tests load the stand-in from it. */
const WEPAY_SCRIPT = 'https://static.wepay.com';

/**
 * What is added to `<head>`, in order, from now on: `preconnect ORIGIN` for a connection hint, `script ORIGIN`
 * for a script (Risk.js's request starts when it is added). `added()` reads the records still queued too, so it
 * is up to date in the task that added them.
 */
function watchHead(): { added(): string[]; stop(): void } {
  const added: string[] = [];
  const note = (records: MutationRecord[]) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLLinkElement) added.push(`${node.rel} ${new URL(node.href).origin}`);
        else if (node instanceof HTMLScriptElement && node.src) added.push(`script ${new URL(node.src).origin}`);
      }
    }
  };
  const observer = new MutationObserver(note);
  observer.observe(document.head, { childList: true });
  return {
    added() {
      note(observer.takeRecords());
      return [...added];
    },
    stop: () => observer.disconnect(),
  };
}

/** The connection hints in the page, as `ORIGIN` or `ORIGIN crossorigin`. */
function hints(): string[] {
  return [...document.querySelectorAll<HTMLLinkElement>('link[rel="preconnect"]')].map(
    (link) => `${new URL(link.href).origin}${link.hasAttribute('crossorigin') ? ' crossorigin' : ''}`,
  );
}

/** The page's next idle period (or a task where there are no idle callbacks): the `idle` trigger's moment. */
function pageIdle(): Promise<void> {
  return new Promise((resolve) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve()) : setTimeout(resolve, 1),
  );
}

/** A `<wepay-risk-token>` with these attributes, put into `form` before its Pay button, in this task. */
function addElement(form: HTMLFormElement, attributes: Record<string, string>): WePayRiskTokenElement {
  const el = document.createElement('wepay-risk-token');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  form.querySelector('button')!.before(el);
  return el;
}

describe('<wepay-risk-token> connection hints', () => {
  eachTestOnACleanPage();
  let head: ReturnType<typeof watchHead>;

  before(async () => {
    const hosts = await answerWePayHosts({ on: true });
    if (!hosts.supported) throw new Error(`WePay's hosts cannot be answered locally: ${hosts.reason}.`);
  });
  after(() => answerWePayHosts({ on: false }));
  beforeEach(() => {
    head = watchHead();
  });
  afterEach(() => head.stop());

  it("trigger=idle: Risk.js's host is hinted as soon as the trigger waits for the idle period after load, then WePay's profiling host with the request, which comes in the idle period", async () => {
    const { form } = await checkoutForm();
    const el = addElement(form, { src: wepayStandInUrl(), trigger: 'idle' });
    expect(head.added()).to.deep.equal([`preconnect ${WEPAY_SCRIPT}`]);

    await stateBecomes(el, 'ready');
    expect(el.token).to.match(UUID);
    expect(head.added()).to.deep.equal([
      `preconnect ${WEPAY_SCRIPT}`,
      `preconnect ${WEPAY_PROFILING}`,
      `script ${WEPAY_SCRIPT}`,
    ]);
    expect(hints()).to.deep.equal([WEPAY_SCRIPT, WEPAY_PROFILING]);
  });

  for (const trigger of ['eager', 'visible']) {
    it(`trigger=${trigger}: only WePay's profiling host is hinted, as Risk.js is requested (a hint for its own host then would gain nothing)`, async () => {
      const { form } = await checkoutForm();
      const el = addElement(form, { src: wepayStandInUrl(), trigger });
      await stateBecomes(el, 'ready');
      expect(head.added()).to.deep.equal([`preconnect ${WEPAY_PROFILING}`, `script ${WEPAY_SCRIPT}`]);
    });
  }

  it("trigger=interaction: nothing is hinted until the shopper touches the form; then WePay's profiling host, as Risk.js is requested", async () => {
    const { form, email } = await checkoutForm();
    const src = wepayStandInUrl();
    const el = addElement(form, { src, trigger: 'interaction' });
    await pageIdle();
    await pageIdle();
    expect(head.added()).to.deep.equal([]);

    await clickAsShopper(email);
    await waitUntil(() => scriptsFor(src).length > 0, 'Risk.js was never requested');
    expect(head.added()).to.deep.equal([`preconnect ${WEPAY_PROFILING}`, `script ${WEPAY_SCRIPT}`]);
    await stateBecomes(el, 'ready');
  });

  it("trigger=manual: nothing is hinted until a submit is held; then WePay's profiling host, warmed while Risk.js downloads, and the held submit posts the profiled token", async () => {
    const { form, sink, pay } = await checkoutForm();
    const el = addElement(form, { src: wepayStandInUrl(), trigger: 'manual' });
    await pageIdle();
    await pageIdle();
    expect(head.added()).to.deep.equal([]);

    const landed = sink.landed();
    await clickAsShopper(pay);
    await landed;
    expect(head.added()).to.deep.equal([`preconnect ${WEPAY_PROFILING}`, `script ${WEPAY_SCRIPT}`]);
    const [posted] = await postsTo(sink.id);
    expect(el.token).to.match(UUID);
    expect(posted!.get('wepay_risk_token')).to.equal(el.token);
  });

  for (const consent of ['pending', 'denied']) {
    it(`consent=${consent}: nothing is hinted, whatever the trigger and a press of Pay; granting consent brings the hints with the run`, async () => {
      const { form, sink, pay } = await checkoutForm();
      const idle = addElement(form, { src: wepayStandInUrl(), trigger: 'idle', consent });
      const eager = addElement(form, { src: wepayStandInUrl(), trigger: 'eager', consent, name: 'eager_token' });
      await pageIdle();
      await pageIdle();
      const landed = sink.landed();
      await clickAsShopper(pay);
      await landed;
      expect(head.added()).to.deep.equal([]);

      idle.consent = 'granted';
      eager.consent = 'granted';
      await Promise.all([stateBecomes(idle, 'ready'), stateBecomes(eager, 'ready')]);
      expect(head.added().filter((added) => added.startsWith('preconnect'))).to.deep.equal([
        `preconnect ${WEPAY_SCRIPT}`,
        `preconnect ${WEPAY_PROFILING}`,
      ]);
    });
  }

  it("a src the element may not load from is never hinted, and neither is WePay's profiling host for it", async () => {
    const { form } = await checkoutForm();
    const refused = ['https://evil.test/min/js/risk.js', 'https://static.wepay.com.evil.test/min/js/risk.js'];
    const elements = refused.flatMap((src) => [
      addElement(form, { src, trigger: 'idle' }),
      addElement(form, { src, trigger: 'eager' }),
    ]);
    await Promise.all(elements.map((el) => stateBecomes(el, 'error')));
    expect(head.added()).to.deep.equal([]);
  });

  it("several elements, and the page's own hint, make one hint per origin; a CORS-mode hint of the page does not count", async () => {
    const own = Object.assign(document.createElement('link'), { rel: 'preconnect', href: WEPAY_PROFILING });
    const cors = Object.assign(document.createElement('link'), { rel: 'preconnect', href: WEPAY_SCRIPT });
    cors.crossOrigin = 'anonymous';
    document.head.append(own, cors);
    const { form } = await checkoutForm();
    const src = wepayStandInUrl();
    const elements = ['a', 'b', 'c'].map((name) => addElement(form, { src, trigger: 'idle', name }));
    await Promise.all(elements.map((el) => stateBecomes(el, 'ready')));
    expect(hints().sort()).to.deep.equal([`${WEPAY_SCRIPT}`, `${WEPAY_SCRIPT} crossorigin`, WEPAY_PROFILING].sort());
  });

  it("a Risk.js from another origin than WePay's gets its own host hinted, never WePay's profiling host", async () => {
    const { form } = await checkoutForm();
    const el = addElement(form, { src: standInUrl(), trigger: 'idle' });
    await stateBecomes(el, 'ready');
    expect(head.added()).to.deep.equal([`preconnect ${location.origin}`, `script ${location.origin}`]);
  });
});
