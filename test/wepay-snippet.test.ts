import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { WePayRiskTokenElement } from '../src/index.js';
import { nextEvent, postsTo, type FrameWindow } from './support/frames.js';
import {
  answerWePayHosts,
  openGate,
  profilingFinished,
  profilingRequests,
  UUID,
  wepayStandInUrl,
} from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

/**
 * The built element (`dist/wepay-risk-token.min.js`) in shop pages that use WePay's Risk.js as shops do: WePay's
 * snippet in `<head>` (`risk.js` or `risk.1.latest.js`), the page's own `generate_risk_token()`, the script
 * Risk.js generated with by itself, two elements, a blocked profiling host, a Pay pressed early. WePay's hosts are
 * answered by the stand-in, which behaves as WePay's SDK does (see `src/testing/risk-stand-in.ts`): whatever the
 * page does, the form posts the token `WePay.risk.get_risk_token()` gives, once, and that session was profiled.
 */

/** What a shop page reported to the test page: uncaught errors, and what Risk.js gave as each form posted. */
interface ShopLog {
  errors: string[];
  riskAtPost: unknown[];
}

type ShopWindow = FrameWindow & { WePay?: { risk?: { get_risk_token(): unknown } } };

const BUNDLE = '/dist/wepay-risk-token.min.js';
const RISK_JS = 'https://static.wepay.com/min/js/risk.js';
const RISK_1_LATEST_JS = 'https://static.wepay.com/min/js/risk.1.latest.js';

/** The stand-in, profiling at `t.wepay.com`, at one of WePay's Risk.js URLs. */
function riskJsAt(url: string, params: Record<string, string | number> = {}): string {
  return url + new URL(wepayStandInUrl(params)).search;
}

const uniqueName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;

const shops: HTMLIFrameElement[] = [];

/**
 * A shop page in a frame, resolved once parsed and the element defined (not waiting for `load`, which a page
 * may hold). Its first script reports to the returned log, which outlives the page's navigation.
 */
async function shopPage({ head = '', body }: { head?: string; body: string }) {
  const id = uniqueName('shop');
  const log: ShopLog = { errors: [], riskAtPost: [] };
  (window as unknown as Record<string, ShopLog>)[id] = log;
  const html = `<!doctype html><head>
    <script>
      const log = parent[${JSON.stringify(id)}];
      addEventListener('error', (event) => log.errors.push(String(event.message)));
      addEventListener('unhandledrejection', (event) => log.errors.push(String(event.reason)));
      document.addEventListener('formdata', () => log.riskAtPost.push(window.WePay?.risk?.get_risk_token()), true);
    </script>
    ${head}
    <script type="module" src="${BUNDLE}"></script>
  </head><body>${body}<script>parent.postMessage(${JSON.stringify(id)}, '*')</script></body>`;
  const parsed = new Promise<void>((resolve) => {
    const listener = (event: MessageEvent) => {
      if (event.data !== id) return;
      window.removeEventListener('message', listener);
      resolve();
    };
    window.addEventListener('message', listener);
  });
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 640px; height: 360px';
  frame.src = `/__page?${new URLSearchParams({ html })}`;
  document.body.append(frame);
  shops.push(frame);
  await parsed;
  const page = frame.contentWindow as ShopWindow;
  await page.customElements.whenDefined('wepay-risk-token');
  return { frame, page, log, document: page.document };
}

/** The element's token: at once when it has one, else when it announces it. */
async function tokenOf(el: Element): Promise<string> {
  const element = el as WePayRiskTokenElement;
  return (
    element.token ?? (await nextEvent<CustomEvent<{ token: string }>>(element, 'wepay-risk-token-ready')).detail.token
  );
}

/** Resolves once the page has a `#WePay-tags`: Risk.js has generated. */
function containerAppears(page: ShopWindow): Promise<void> {
  return new Promise((resolve) => {
    const check = () => page.document.getElementById('WePay-tags') && (observer.disconnect(), resolve());
    const observer = new page.MutationObserver(check);
    observer.observe(page.document.body, { childList: true });
    check();
  });
}

/** Resolves when `frame` has loaded a form post's answer (not the page's own `load`, which may come later). */
function postLands(frame: HTMLIFrameElement): Promise<void> {
  return new Promise((resolve) => {
    const listener = () => {
      if (!frame.contentWindow?.location.pathname.startsWith('/__posts/')) return;
      frame.removeEventListener('load', listener);
      resolve();
    };
    frame.addEventListener('load', listener);
  });
}

/** Presses `button` as a shopper; resolves with what the form posted once the answer loads in `landing`. */
async function pressPay(button: Element, landing: HTMLIFrameElement, postId: string): Promise<URLSearchParams[]> {
  const landed = postLands(landing);
  await clickAsShopper(button);
  await landed;
  return postsTo(postId);
}

const containers = (page: ShopWindow) => page.document.querySelectorAll('#WePay-tags').length;

/**
 * Pay pressed as a shopper: the form posts `token` once, Risk.js gives that token as it posts, its session was
 * profiled once, and the page raised no error.
 */
async function expectPayToPostProfiled(
  { frame, log, document }: { frame: HTMLIFrameElement; log: ShopLog; document: Document },
  postId: string,
  token: string,
): Promise<void> {
  const posts = await pressPay(document.querySelector('button')!, frame, postId);
  expect(posts.map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[token]]);
  expect(log.riskAtPost.at(-1)).to.equal(token);
  expect(await profilingRequests(token)).to.deep.equal({ script: 1, beacon: 1 });
  expect(log.errors).to.deep.equal([]);
}

describe("the built element beside WePay's Risk.js as shops include it", () => {
  before(async function () {
    const { supported, reason } = await answerWePayHosts({ on: true });
    if (!supported) {
      console.warn(`skipped: ${reason}`);
      this.skip();
    }
  });
  after(() => answerWePayHosts({ on: false }));
  afterEach(() => {
    for (const frame of shops.splice(0)) frame.remove();
  });

  for (const url of [RISK_JS, RISK_1_LATEST_JS]) {
    const file = url.slice(url.lastIndexOf('/') + 1);

    it(`WePay's snippet (${file}) in <head> generated by itself after load; an element added later posts that token, profiled once`, async () => {
      const postId = uniqueName('post');
      // `auto=0` stands for Risk.js's 5 s after load: it generates before the element is there.
      const { frame, page, log, document } = await shopPage({
        head: `<script type="text/javascript" src="${riskJsAt(url, { auto: 0 })}"></script>`,
        body: `<form method="post" action="/__posts/${postId}"><button>Pay</button></form>`,
      });
      await containerAppears(page);
      const generated = page.WePay!.risk!.get_risk_token();
      document.querySelector('form')!.prepend(document.createElement('wepay-risk-token'));
      const token = await tokenOf(document.querySelector('wepay-risk-token')!);
      expect(token).to.equal(generated);
      expect(containers(page)).to.equal(1);
      await profilingFinished(page);

      await expectPayToPostProfiled({ frame, log, document }, postId, token);
    });
  }

  it("WePay's snippet in <head>, the element there from the start: it generates first, and Risk.js's own generation after load changes nothing", async () => {
    const postId = uniqueName('post');
    const loadGate = uniqueName('load');
    const { frame, page, log, document } = await shopPage({
      head: `<script type="text/javascript" src="${riskJsAt(RISK_JS, { auto: 0 })}"></script>
        <script>
          // Registered after Risk.js's own load listener: this timer runs after Risk.js's generation.
          addEventListener('load', () => setTimeout(() => parent.postMessage('auto-generated', '*'), 0));
        </script>`,
      // The held image holds the page's load event, and with it Risk.js's own generation.
      body: `<img alt="" src="/__held?gate=${loadGate}">
        <form method="post" action="/__posts/${postId}">
          <wepay-risk-token trigger="eager"></wepay-risk-token><button>Pay</button>
        </form>`,
    });
    const token = await tokenOf(document.querySelector('wepay-risk-token')!);
    expect(page.document.readyState).not.to.equal('complete');

    const autoGenerated = new Promise((resolve) =>
      window.addEventListener('message', (event) => event.data === 'auto-generated' && resolve(undefined)),
    );
    await openGate(loadGate);
    await autoGenerated;
    expect(page.WePay!.risk!.get_risk_token()).to.equal(token);
    expect(containers(page)).to.equal(1);
    await profilingFinished(page);

    await expectPayToPostProfiled({ frame, log, document }, postId, token);
  });

  it('a page that calls generate_risk_token() itself right after the snippet, as public integrations do: the element posts the same token', async () => {
    const postId = uniqueName('post');
    const { frame, page, log, document } = await shopPage({
      body: `<form method="post" action="/__posts/${postId}">
          <input type="hidden" name="risk_token" id="risk_token">
          <wepay-risk-token></wepay-risk-token><button>Pay</button>
        </form>
        <script type="text/javascript" src="${riskJsAt(RISK_1_LATEST_JS, { auto: 5000 })}"></script>
        <script type="text/javascript">
          WePay.risk.generate_risk_token();
          document.getElementById('risk_token').value = WePay.risk.get_risk_token();
        </script>`,
    });
    const token = await tokenOf(document.querySelector('wepay-risk-token')!);
    expect(token).to.equal(document.querySelector<HTMLInputElement>('#risk_token')!.value);
    expect(token).to.equal(page.WePay!.risk!.get_risk_token());
    expect(containers(page)).to.equal(1);
    await profilingFinished(page);

    const [posted] = await pressPay(document.querySelector('button')!, frame, postId);
    expect(posted!.getAll('wepay_risk_token')).to.deep.equal([token]);
    expect(posted!.get('risk_token')).to.equal(token);
    expect(await profilingRequests(token)).to.deep.equal({ script: 1, beacon: 1 });
    expect(log.errors).to.deep.equal([]);
  });

  it('two elements in one form and one in a second form, beside the snippet: each form posts the one token once', async () => {
    const postId = uniqueName('post');
    const { page, log, document } = await shopPage({
      head: `<script type="text/javascript" src="${riskJsAt(RISK_JS, { auto: 5000 })}"></script>`,
      body: `<iframe name="a" hidden></iframe><iframe name="b" hidden></iframe>
        <form id="a" method="post" action="/__posts/${postId}-a" target="a">
          <wepay-risk-token></wepay-risk-token><wepay-risk-token></wepay-risk-token><button>Pay A</button>
        </form>
        <form id="b" method="post" action="/__posts/${postId}-b" target="b">
          <wepay-risk-token></wepay-risk-token><button>Pay B</button>
        </form>`,
    });
    const tokens = await Promise.all([...document.querySelectorAll('wepay-risk-token')].map(tokenOf));
    const token = tokens[0]!;
    expect(token).to.match(UUID);
    expect(new Set(tokens)).to.deep.equal(new Set([token]));
    expect(page.WePay!.risk!.get_risk_token()).to.equal(token);
    await profilingFinished(page);

    for (const form of ['a', 'b']) {
      const landing = document.querySelector<HTMLIFrameElement>(`iframe[name="${form}"]`)!;
      const posts = await pressPay(document.querySelector(`#${form} button`)!, landing, `${postId}-${form}`);
      expect(posts.map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[token]]);
    }
    expect(containers(page)).to.equal(1);
    expect(await profilingRequests(token)).to.deep.equal({ script: 1, beacon: 1 });
    expect(log.errors).to.deep.equal([]);
  });

  it("the page's own async risk.1.latest.js runs after the element's risk.js: it keeps WePay.risk, so what posts is still get_risk_token()", async () => {
    const postId = uniqueName('post');
    const pageScriptGate = uniqueName('page-script');
    const { frame, page, log, document } = await shopPage({
      head: `<script async type="text/javascript" src="${riskJsAt(RISK_1_LATEST_JS, { auto: 5000, gate: pageScriptGate })}"></script>`,
      body: `<form method="post" action="/__posts/${postId}">
          <wepay-risk-token trigger="eager" src="${riskJsAt(RISK_JS)}"></wepay-risk-token><button>Pay</button>
        </form>`,
    });
    const token = await tokenOf(document.querySelector('wepay-risk-token')!);
    const pageScript = document.querySelector<HTMLScriptElement>('script[async]')!;
    const pageScriptRan = nextEvent(pageScript, 'load');
    await openGate(pageScriptGate);
    await pageScriptRan;
    expect(page.WePay!.risk!.get_risk_token()).to.equal(token);
    expect(containers(page)).to.equal(1);
    await profilingFinished(page);

    await expectPayToPostProfiled({ frame, log, document }, postId, token);
  });

  it("48 hours on, Pay renews the token with a fresh Risk.js beside WePay's JS SDK: the new session is profiled and posted, and the SDK's WePay stays", async () => {
    const postId = uniqueName('post');
    // WePay's SDK declares `var WePay` at the top level of a classic script (a global that `delete` cannot
    // remove) and keeps its configuration on it. The stand-in (one function) cannot declare it; the page does.
    const { frame, page, log, document } = await shopPage({
      head: `<script>var WePay = { configure: function () {} };</script>
        <script type="text/javascript" src="${riskJsAt(RISK_JS, { auto: 5000 })}"></script>`,
      body: `<form method="post" action="/__posts/${postId}">
          <wepay-risk-token trigger="manual" src="${riskJsAt(RISK_JS)}"></wepay-risk-token><button>Pay</button>
        </form>`,
    });
    expect(Object.getOwnPropertyDescriptor(page, 'WePay')!.configurable).to.equal(false);
    const sdk = page.WePay as { configure?: unknown };
    const configure = sdk.configure;
    const start = Date.now();
    // The page's clock only (its timers stay real): the token is made now, and is due 48 hours on.
    const onPage = { global: page, toFake: ['Date'], now: start };
    const clock = sinon.useFakeTimers(onPage as Parameters<typeof sinon.useFakeTimers>[0]);
    try {
      const el = document.querySelector<WePayRiskTokenElement>('wepay-risk-token')!;
      const first = await el.generate();
      expect(first).to.equal(page.WePay!.risk!.get_risk_token());
      await profilingFinished(page);

      clock.setSystemTime(start + 50 * 60 * 60 * 1000);
      let wepayAtPost: unknown;
      document.addEventListener('formdata', () => (wepayAtPost = page.WePay), true);
      const posts = await pressPay(document.querySelector('button')!, frame, postId);
      const posted = posts.map((post) => post.getAll('wepay_risk_token'));
      expect(posted).to.have.length(1);
      const [renewed] = posted[0]!;
      expect(renewed).to.match(UUID);
      expect(renewed).not.to.equal(first);
      expect(log.riskAtPost.at(-1)).to.equal(renewed);
      expect(await profilingRequests(renewed!)).to.deep.include({ script: 1 });
      expect(wepayAtPost === sdk, "the page's WePay as the form posts is the SDK's").to.equal(true);
      expect(sdk.configure).to.equal(configure);
      expect(log.errors).to.deep.equal([]);
    } finally {
      clock.restore();
    }
  });

  describe('Pay pressed (a trusted click) before the token', () => {
    afterEach(() => answerWePayHosts({ on: true }));

    for (const blocked of [false, true]) {
      it(
        blocked
          ? 'with t.wepay.com blocked (an ad blocker): the submit is held, then posts the token once; nothing is profiled, nothing breaks'
          : 'the submit is held, and posts the token once its session has been profiled',
        async () => {
          if (blocked) await answerWePayHosts({ on: true, blocked: ['t.wepay.com'] });
          const postId = uniqueName('post');
          const riskGate = uniqueName('risk');
          const { frame, page, log, document } = await shopPage({
            body: `<form method="post" action="/__posts/${postId}">
                <input name="amount" value="42.00">
                <wepay-risk-token trigger="eager" src="${riskJsAt(RISK_JS, { gate: riskGate })}"></wepay-risk-token>
                <button>Pay</button>
              </form>`,
          });
          const el = document.querySelector<WePayRiskTokenElement>('wepay-risk-token')!;
          expect(el.token).to.equal(null);

          const form = document.querySelector('form')!;
          const landed = postLands(frame);
          await clickAsShopper(document.querySelector('button')!);
          // The element holds the submit: the form says it is busy.
          await new Promise<void>((resolve) => {
            const check = () => form.hasAttribute('aria-busy') && (observer.disconnect(), resolve());
            const observer = new page.MutationObserver(check);
            observer.observe(form, { attributeFilter: ['aria-busy'] });
            check();
          });
          const ready = tokenOf(el);
          await openGate(riskGate);
          const token = await ready;
          expect(page.WePay!.risk!.get_risk_token()).to.equal(token);
          await landed;

          const posts = await postsTo(postId);
          expect(posts.map((post) => [post.get('amount'), ...post.getAll('wepay_risk_token')])).to.deep.equal([
            ['42.00', token],
          ]);
          expect(token).to.match(UUID);
          expect(log.riskAtPost.at(-1)).to.equal(token);
          expect((await profilingRequests(token)).script).to.equal(blocked ? 0 : 1);
          expect(log.errors).to.deep.equal([]);
        },
      );
    }
  });
});
