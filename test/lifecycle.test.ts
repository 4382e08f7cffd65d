import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import { postSink, postsTo } from './support/frames.js';
import { postedToken, eachTestOnACleanPage, standInUrl, UUID } from './support/risk-js.js';

describe("<wepay-risk-token> in a form's life", () => {
  const events = eachTestOnACleanPage();

  it('form.reset() keeps the token', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <input name="email" /><wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>
      </form>`,
    );
    const token = await form.querySelector('wepay-risk-token')!.generate();
    form.querySelector('input')!.value = 'typed';
    form.reset();
    expect(form.querySelector('input')!.value).to.equal('');
    expect(postedToken(form)).to.equal(token);
  });

  it('an element moved to another form posts with the new form only', async () => {
    const first = await postSink();
    const second = await postSink();
    const page = await fixture<HTMLDivElement>(html`
      <div>
        <form id="first" method="post" action=${first.action} target=${first.target}>
          <wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>
          <button>Pay</button>
        </form>
        <form id="second" method="post" action=${second.action} target=${second.target}><button>Pay</button></form>
      </div>
    `);
    const [formA, formB] = page.querySelectorAll('form');
    const el = page.querySelector('wepay-risk-token')!;
    const token = await el.generate();
    formB!.prepend(el);
    expect(new FormData(formA!).has('wepay_risk_token')).to.equal(false);
    expect(postedToken(formB!)).to.equal(token);

    const landedA = first.landed();
    const landedB = second.landed();
    formA!.requestSubmit();
    formB!.requestSubmit();
    await Promise.all([landedA, landedB]);
    expect((await postsTo(first.id))[0]!.has('wepay_risk_token')).to.equal(false);
    expect((await postsTo(second.id))[0]!.get('wepay_risk_token')).to.equal(token);
  });

  it('an element moved to another form before its token came guards and fills the new form', async () => {
    const sink = await postSink();
    const src = standInUrl();
    const page = await fixture<HTMLDivElement>(html`
      <div>
        <form id="old"><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>
        <form id="new" method="post" action=${sink.action} target=${sink.target}><button>Pay</button></form>
      </div>
    `);
    const formB = page.querySelector<HTMLFormElement>('#new')!;
    const el = page.querySelector('wepay-risk-token')!;
    formB.prepend(el);
    const landed = sink.landed();
    formB.querySelector('button')!.click();
    await landed;
    const posted = (await postsTo(sink.id))[0]!.get('wepay_risk_token');
    expect(posted).to.match(UUID);
    expect(posted).to.equal(el.token);
  });

  it('several forms on one page, each with its own element, all post the same token', async () => {
    const sinks = await Promise.all([postSink(), postSink(), postSink()]);
    const src = standInUrl();
    const page = await fixture<HTMLDivElement>(html`
      <div>
        ${sinks.map(
          (sink) =>
            html`<form method="post" action=${sink.action} target=${sink.target}>
              <wepay-risk-token trigger="eager" src=${src}></wepay-risk-token>
            </form>`,
        )}
      </div>
    `);
    const forms = [...page.querySelectorAll('form')];
    await Promise.all(
      forms.map((form) => events.next(form.querySelector('wepay-risk-token')!, 'wepay-risk-token-ready')),
    );
    const landed = sinks.map((sink) => sink.landed());
    for (const form of forms) form.requestSubmit();
    await Promise.all(landed);
    const tokens = await Promise.all(sinks.map(async (sink) => (await postsTo(sink.id))[0]!.get('wepay_risk_token')));
    expect(new Set(tokens).size).to.equal(1);
    expect(tokens[0]).to.match(UUID);
  });
});
