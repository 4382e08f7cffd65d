import { expect } from '@open-wc/testing';
import { framePage, nextEvent, postsTo } from './support/frames.js';
import { openGate, standInUrl, UUID } from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

/**
 * The built bundles on pages that are hostile by accident or by attack: markup that clobbers globals (an
 * injected `<img name>`), and scripts that pollute `Object.prototype` (a query-string or JSON merge of
 * `__proto__[key]=…`) before the element loads. Whatever the page holds, the element loads, gets its token,
 * holds a submit pressed before it, and the form posts what it posts without the element, plus the token, once.
 * The production bundles are what pages load; the development ones read a few more globals.
 */
const BUNDLES = [
  '/dist/wepay-risk-token.min.js',
  '/dist/index.js',
  '/dist/wepay-risk-token.development.js',
  '/dist/development/index.js',
];

/**
 * What SES's `lockdown()` does to the intrinsics, short of `Symbol`: frozen, so that assigning a property they
 * hold (`error.name = …`) throws. (A frozen `Symbol` keeps Lit itself from loading: it sets `Symbol.metadata`.)
 */
const FREEZE_INTRINSICS = `for (const intrinsic of [Object, Array, Function, Promise, Map, Set, WeakMap, WeakSet, Error, TypeError,
  RangeError, String, Number, Boolean, RegExp, Date, Math, JSON, Reflect, URL, URLSearchParams, AbortController,
  AbortSignal, Event, CustomEvent, EventTarget, Node, Element, HTMLElement, HTMLFormElement, HTMLInputElement,
  HTMLScriptElement, Document, MutationObserver]) {
  Object.freeze(intrinsic);
  Object.freeze(intrinsic.prototype);
}`;

/**
 * Names the element, Lit or the browser read from an object the element makes or hands on: options bags,
 * declarations, event inits, descriptors, its own records. A page that polluted all of them still gets its token.
 * Not `WePay` or `risk`: WePay's Risk.js reads them itself (`WePay = WePay || {}`, as the stand-in does), so a
 * page that polluted them has no `WePay.risk`, the `unavailable` case of test/faults.test.ts.
 */
const READ_NAMES = `
  once passive capture signal childList attributes characterData subtree attributeOldValue
  characterDataOldValue attributeFilter bubbles cancelable composed detail timeout root rootMargin
  threshold state attribute type converter reflect hasChanged noAccessor useDefault wrapped metadata
  wait hurry working urgent resolve reject token startedAt pageScript promise settled duration done
  cause name message value get set writable enumerable configurable src nonce async consent
  scriptOrigins WePayRiskToken trustedTypes reactiveElementVersions litPropertyMetadata
  reactiveElementPolyfillSupport litIssuedWarnings ShadyDOM customElements is mode formAssociated
  properties elementProperties finalized renderRoot hasUpdated isUpdatePending fields held submission
  submitter action method enctype target noValidate kind place coordinates x y length size
  handleEvent toJSON input form required submitWait trigger heldAt failed stale load generate profile
  timings elapsed reason outcome error expiresAt
`
  .trim()
  .split(/\s+/);

/** What a page's script (`prelude`, before the element's module) and markup (`markup`, in the form) hold. */
const HOSTILE_PAGES: Array<{ title: string; prelude?: string; markup?: string; attributes?: string; csp?: string }> = [
  {
    title: 'markup names the globals Lit reads as it loads (<img name="reactiveElementVersions">, …)',
    markup: '<img name="reactiveElementVersions"><img name="litPropertyMetadata">',
    prelude: "Object.prototype.reactiveElementPolyfillSupport = 'x';",
  },
  {
    // Not `createElement` or `getElementById`: Risk.js calls them on the document itself (docs/security.md).
    title: 'markup names globals, and members of the document and of the form (<img name="action">, …)',
    markup: `
      WePayRiskToken WePay trustedTypes requestIdleCallback cancelIdleCallback customElements
      reactiveElementPolyfillSupport defaultView readyState baseURI visibilityState body head nodeType documentElement querySelector
      querySelectorAll addEventListener action method target enctype elements ownerDocument
      isConnected setAttribute removeAttribute getAttribute hasAttribute contains append requestSubmit
      submit localName id name noValidate
    `
      .trim()
      .split(/\s+/)
      .map((name) => `<img name="${name}">`)
      .join(''),
  },
  {
    title: 'Object.prototype holds the globals Lit reads as it loads',
    prelude: "Object.assign(Object.prototype, { reactiveElementVersions: 'x', litPropertyMetadata: 'x' });",
  },
  {
    title: 'Object.prototype holds listener and observer options (passive, once, signal, capture, attributeFilter)',
    prelude:
      "Object.assign(Object.prototype, { passive: true, once: true, capture: true, signal: 'x', attributeFilter: 'x' });",
  },
  {
    title: "Object.prototype holds Lit's property options (state, attribute, hasChanged, reflect)",
    prelude: "Object.assign(Object.prototype, { state: true, attribute: 'x', hasChanged: 'x', reflect: true });",
    attributes: 'submit-wait="5000"',
  },
  {
    title: "Object.prototype holds the options of the element's own calls (generate's wait, a run's hurry)",
    prelude: "Object.assign(Object.prototype, { wait: 'x', hurry: 'x' });",
    attributes: 'required',
  },
  {
    title: 'Object.prototype holds a string under every name the element, Lit or the browser reads',
    prelude: `for (const name of ${JSON.stringify(READ_NAMES)}) Object.prototype[name] = 'x';`,
  },
  { title: 'its intrinsics are frozen, as after SES lockdown()', prelude: FREEZE_INTRINSICS },
  {
    title: "it enforces Trusted Types, and Object.prototype holds a policy's createHTML and createScript",
    // The default policy that docs/security.md gives for Risk.js's profiling script; it refuses the rest.
    prelude: `trustedTypes.createPolicy('default', { createScriptURL: (url) => (url.includes('/fp/') ? url : null) });
      Object.assign(Object.prototype, { createHTML: 'x', createScript: 'x' });`,
    csp: "require-trusted-types-for 'script'; trusted-types wepay-risk-token default",
  },
  {
    title: 'Object.prototype holds indices (0 to 9), and Pay is gone by the time the held submit goes',
    prelude: `for (let index = 0; index < 10; index += 1) Object.prototype[index] = 'x';
      addEventListener('click', ({ target }) => target.localName === 'button' && setTimeout(() => target.remove()));`,
  },
  {
    title: 'Object.prototype.then is a function (every object a thenable)',
    prelude: 'Object.prototype.then = function () {};',
  },
];

/** The framed pages report their uncaught errors and unhandled rejections here. */
const pageErrors: string[] = [];
(window as unknown as { hostilePageErrors: string[] }).hostilePageErrors = pageErrors;

/** A checkout page that loads `bundle` after `prelude` and posts to `/__posts/postId`; its form holds `markup`. */
function checkoutPage(
  bundle: string,
  postId: string,
  {
    prelude = '',
    markup = '',
    attributes = '',
    csp,
    src,
  }: { prelude?: string; markup?: string; attributes?: string; csp?: string | undefined; src: string },
) {
  return framePage(
    `
    <script>
      addEventListener('error', (event) => parent.hostilePageErrors.push(String(event.message)));
      addEventListener('unhandledrejection', (event) => parent.hostilePageErrors.push(String(event.reason)));
      ${prelude}
    </script>
    <script type="module" src="${bundle}"></script>
    <form method="post" action="/__posts/${postId}">
      <input name="amount" value="42.00">
      ${markup}
      <wepay-risk-token src="${src}" name="risk" ${attributes}></wepay-risk-token>
      <button name="pay" value="card">Pay</button>
    </form>`,
    csp,
  );
}

describe('the built bundles on a hostile page', () => {
  beforeEach(() => {
    pageErrors.length = 0;
  });

  for (const bundle of BUNDLES) {
    for (const { title, prelude = '', markup = '', attributes = '', csp } of HOSTILE_PAGES) {
      it(`${bundle}: ${title}: a submit pressed twice before the token posts once, with it`, async () => {
        const gate = `hostile-${Math.random().toString(36).slice(2)}`;
        const postId = `hostile-${Math.random().toString(36).slice(2)}`;
        const src = standInUrl({ gate });
        const { frame, window: page } = await checkoutPage(bundle, postId, { prelude, markup, attributes, csp, src });
        expect(page.customElements.get('wepay-risk-token'), 'defined').to.be.a('function');
        // Past the page's markup, which may name the document's members.
        const form = Document.prototype.querySelector.call(page.document, 'form')!;
        const pay = Document.prototype.querySelector.call(page.document, 'button')!;
        let token: string | undefined;
        page.addEventListener('wepay-risk-token-ready', (event) => {
          token = (event as CustomEvent<{ token: string }>).detail.token;
        });

        const posted = nextEvent(frame, 'load');
        await clickAsShopper(pay);
        expect(Element.prototype.getAttribute.call(form, 'aria-busy'), 'held').to.equal('true');
        await clickAsShopper(pay);
        await openGate(gate);
        await posted;

        expect(UUID.test(token ?? ''), `token ${token}`).to.equal(true);
        const posts = await postsTo(postId);
        // The frame has left the page that held the submit: no other post can follow.
        expect(posts.map((post) => [...post])).to.deep.equal([
          [
            ['amount', '42.00'],
            ['risk', token],
            ['pay', 'card'],
          ],
        ]);
        expect(pageErrors).to.deep.equal([]);
      });
    }

    it(`${bundle}: its intrinsics are frozen, as after SES lockdown(): a Risk.js that fails is reported, and the submit posts without a token`, async () => {
      const postId = `hostile-${Math.random().toString(36).slice(2)}`;
      const src = standInUrl({ status: 404 });
      const { frame, window: page } = await checkoutPage(bundle, postId, { prelude: FREEZE_INTRINSICS, src });
      const element = page.document.querySelector('wepay-risk-token')!;
      const failed = nextEvent<CustomEvent<{ reason: string; error: Error }>>(element, 'wepay-risk-token-error');

      const posted = nextEvent(frame, 'load');
      await clickAsShopper(page.document.querySelector('button')!);
      const { detail } = await failed;
      await posted;

      expect(detail.reason).to.equal('load-failed');
      expect(detail.error.name).to.equal('WePayRiskTokenError');
      expect((await postsTo(postId)).map((post) => [...post])).to.deep.equal([
        [
          ['amount', '42.00'],
          ['risk', ''],
          ['pay', 'card'],
        ],
      ]);
      expect(pageErrors).to.deep.equal([]);
    });
  }
});
