import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenError } from '../src/index.js';
import { checkoutForm, nextEvent, postsTo } from './support/frames.js';
import { eachTestOnACleanPage, requestCount, standInUrl, stateBecomes, UUID } from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

/** A stand-in profiling under a path of its own on the test server, so its profiling requests are countable. */
function countedStandIn() {
  const base = `/consent-${Math.random().toString(36).slice(2)}`;
  const src = standInUrl({ profile: `${location.origin}${base}` });
  const profiling = async () =>
    ((await (await fetch(`/__requests?match=${encodeURIComponent(`${base}/fp/`)}`)).json()) as { count: number }).count;
  /** Every request this checkout made to Risk.js and to the profiling host. */
  const toWePay = async () => ({ script: await requestCount(src), profiling: await profiling() });
  return { src, toWePay };
}

async function checkout(src: string, attributes: { trigger: string; consent?: string; required?: boolean }) {
  const { form, sink, pay } = await checkoutForm();
  // Built by hand: an element with no consent attribute at all is one of the cases.
  const el = document.createElement('wepay-risk-token');
  el.setAttribute('src', src);
  el.setAttribute('trigger', attributes.trigger);
  // Own properties only: one test pollutes Object.prototype.consent.
  if (Object.hasOwn(attributes, 'consent')) el.setAttribute('consent', attributes.consent!);
  el.toggleAttribute('required', attributes.required ?? false);
  pay.before(el);
  return { form, el, sink, pay };
}

/** The page's next idle period (or a task where there are no idle callbacks): the `idle` trigger's moment. */
function pageIdle(): Promise<void> {
  return new Promise((resolve) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve()) : setTimeout(resolve, 1),
  );
}

/** Presses Pay as a shopper and resolves with what the form posted. */
async function pressPay(checkoutForm: Awaited<ReturnType<typeof checkout>>): Promise<URLSearchParams> {
  const landed = checkoutForm.sink.landed();
  await clickAsShopper(checkoutForm.pay);
  await landed;
  return (await postsTo(checkoutForm.sink.id)).at(-1)!;
}

describe('<wepay-risk-token> consent', () => {
  eachTestOnACleanPage();

  for (const trigger of ['eager', 'idle']) {
    for (const consent of ['pending', 'denied']) {
      it(`trigger=${trigger}, consent=${consent}: a whole checkout sends nothing to WePay and posts at once without a token; granting then gets the token the next Pay posts`, async () => {
        const { src, toWePay } = countedStandIn();
        const page = await checkout(src, { trigger, consent });
        await pageIdle();

        const first = await pressPay(page);
        expect(first.get('email')).to.equal('shopper@example.com');
        expect(first.get('wepay_risk_token')).to.equal('');
        expect(await toWePay()).to.deep.equal({ script: 0, profiling: 0 });
        expect(page.el.state).to.equal('idle');
        expect(document.querySelector('link[rel="preconnect"]')).to.equal(null);

        page.el.consent = 'granted';
        await stateBecomes(page.el, 'ready');
        expect(page.el.token).to.match(UUID);
        expect((await toWePay()).script).to.equal(1);

        const second = await pressPay(page);
        expect(second.get('wepay_risk_token')).to.equal(page.el.token);
      });
    }
  }

  it('required, consent pending: Pay is not sent and the element fires its error with reason no-consent; once granted, the next Pay posts the token', async () => {
    const { src, toWePay } = countedStandIn();
    const page = await checkout(src, { trigger: 'eager', consent: 'pending', required: true });
    const error = nextEvent<CustomEvent<{ reason: string; error: WePayRiskTokenError }>>(
      page.el,
      'wepay-risk-token-error',
    );
    await clickAsShopper(page.pay);
    const { detail } = await error;
    expect(detail.reason).to.equal('no-consent');
    expect(detail.error.reason).to.equal('no-consent');
    expect(page.form.hasAttribute('aria-busy')).to.equal(false);

    page.el.setAttribute('consent', 'granted');
    await stateBecomes(page.el, 'ready');
    const posted = await pressPay(page);
    // The refused press was never posted: the one post is the one after granting.
    expect(await postsTo(page.sink.id)).to.have.length(1);
    expect(posted.get('wepay_risk_token')).to.equal(page.el.token);
    expect((await toWePay()).script).to.equal(1);
  });

  it('generate() without consent rejects with reason no-consent and asks WePay for nothing', async () => {
    const { src, toWePay } = countedStandIn();
    const { el } = await checkout(src, { trigger: 'manual', consent: 'denied' });
    const error = await el.generate().catch((rejection: WePayRiskTokenError) => rejection);
    expect((error as WePayRiskTokenError).reason).to.equal('no-consent');
    expect(el.state).to.equal('idle');
    expect(await toWePay()).to.deep.equal({ script: 0, profiling: 0 });
  });

  it('withdrawing consent before the trigger fires cancels it', async () => {
    const { src, toWePay } = countedStandIn();
    const page = await checkout(src, { trigger: 'interaction' });
    page.el.consent = 'denied';
    await clickAsShopper(page.form.querySelector('input')!);
    await pageIdle();
    expect(page.el.state).to.equal('idle');
    expect(await toWePay()).to.deep.equal({ script: 0, profiling: 0 });
  });

  describe('page-wide default (window.WePayRiskToken.consent)', () => {
    it('holds every element that sets no consent; granting the page default and then the element (as the docs do) starts it', async () => {
      window.WePayRiskToken = { consent: 'pending' };
      const { src, toWePay } = countedStandIn();
      const page = await checkout(src, { trigger: 'eager' });
      expect(page.el.consent).to.equal('pending');
      await pageIdle();
      const posted = await pressPay(page);
      expect(posted.get('wepay_risk_token')).to.equal('');
      expect(await toWePay()).to.deep.equal({ script: 0, profiling: 0 });

      window.WePayRiskToken = { consent: 'granted' };
      page.el.consent = 'granted';
      await stateBecomes(page.el, 'ready');
      expect((await toWePay()).script).to.equal(1);
    });

    it("the element's own attribute wins over the page's default", async () => {
      window.WePayRiskToken = { consent: 'denied' };
      const { src } = countedStandIn();
      const { el } = await checkout(src, { trigger: 'eager', consent: 'granted' });
      await stateBecomes(el, 'ready');
      expect(el.token).to.match(UUID);
    });

    it('a polluted Object.prototype.consent does not grant, on the page options or on the element', async () => {
      window.WePayRiskToken = { consent: 'pending' };
      (Object.prototype as { consent?: string }).consent = 'granted';
      try {
        const { src, toWePay } = countedStandIn();
        const page = await checkout(src, { trigger: 'eager' });
        expect(page.el.consent).to.equal('pending');
        await pageIdle();
        await pressPay(page);
        expect(await toWePay()).to.deep.equal({ script: 0, profiling: 0 });
      } finally {
        delete (Object.prototype as { consent?: string }).consent;
      }
    });

    it('a getter or an inherited consent on the page options is not read', async () => {
      let read = false;
      window.WePayRiskToken = Object.create(null, {
        consent: {
          get() {
            read = true;
            return 'pending';
          },
        },
      }) as never;
      const { src } = countedStandIn();
      const { el } = await checkout(src, { trigger: 'manual' });
      expect(el.consent).to.equal('granted');
      expect(read).to.equal(false);
    });

    it('a value that is not a consent reads as pending (with a warning), never as granted', async () => {
      const warn = sinon.stub(console, 'warn');
      const { src, toWePay } = countedStandIn();
      const { el } = await checkout(src, { trigger: 'eager', consent: 'yes' });
      expect(el.consent).to.equal('pending');
      expect(warn.args.map(([message]) => String(message))).to.deep.equal([
        '<wepay-risk-token>: consent=yes is not valid; expected pending, granted, denied. Using pending.',
      ]);
      await pageIdle();
      expect(await toWePay()).to.deep.equal({ script: 0, profiling: 0 });
    });
  });
});
