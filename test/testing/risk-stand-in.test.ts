import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Window, type ErrorEvent } from 'happy-dom';

/**
 * The Risk.js stand-in as the package ships it (`dist/testing/risk-stand-in.js`, so this runs after
 * `npm run build`), run by happy-dom with its JavaScript evaluation on. The page's origin is a happy-dom
 * virtual server for `dist/testing/`, and every request the page makes is recorded.
 */

const PAGE = 'http://localhost:3000/';
const STAND_IN = `${PAGE}risk-stand-in.js`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface RiskPage {
  WePay: { risk: { generate_risk_token(): void; get_risk_token(): unknown } };
}

describe('the Risk.js stand-in in happy-dom', () => {
  let window: Window;
  const requests: string[] = [];
  const errors: unknown[] = [];

  before(() => {
    const record = ({ request }: { request: { url: string } }) => void requests.push(request.url);
    window = new Window({
      url: PAGE,
      settings: {
        enableJavaScriptEvaluation: true,
        suppressInsecureJavaScriptEnvironmentWarning: true,
        fetch: {
          // The page's origin serves dist/testing/ from the file system; nothing goes over the network.
          virtualServers: [{ url: PAGE, directory: 'dist/testing' }],
          interceptor: { beforeSyncRequest: record, beforeAsyncRequest: async (context) => record(context) },
        },
      },
    });
    window.addEventListener('error', (event) => errors.push((event as ErrorEvent).message));
  });

  after(() => window.happyDOM.close());

  it('profiles from data: URLs by default: the page requests nothing beyond the stand-in, and nothing fails', async () => {
    const { document } = window;
    // Which elements loaded and which failed, from the capture phase (load and error do not bubble).
    const settled: Array<{ type: string; target: unknown }> = [];
    for (const type of ['load', 'error']) {
      document.addEventListener(type, ({ target }) => settled.push({ type, target }), true);
    }
    const outcomeOf = (target: unknown) => settled.filter((event) => event.target === target).map(({ type }) => type);

    document.body.innerHTML = '<form><button>Pay</button></form>';
    const script = document.createElement('script');
    script.src = `${STAND_IN}?auto=off`;
    document.head.append(script);
    await window.happyDOM.waitUntilComplete();
    assert.deepEqual(outcomeOf(script), ['load']);

    const { risk } = (window as unknown as RiskPage).WePay;
    risk.generate_risk_token();
    const token = risk.get_risk_token();
    assert.match(String(token), UUID);

    const container = document.getElementById('WePay-tags')!;
    const profilingScript = container.querySelector('script')!;
    const beacon = container.querySelector('img')!;
    assert.equal(profilingScript.src, `data:text/javascript;org_id=stand-in-org;session_id=${token},`);
    assert.ok(beacon.src.startsWith(`data:image/gif;org_id=stand-in-org;session_id=${token};m=2;base64,`), beacon.src);
    await window.happyDOM.waitUntilComplete();
    assert.deepEqual(outcomeOf(profilingScript), ['load']);
    // happy-dom decodes a data: image as its src is set, before the container is in the page.
    assert.equal(beacon.complete && beacon.naturalWidth, 1);

    // happy-dom answers data: URLs itself; nothing else was asked for.
    assert.deepEqual(
      requests.filter((url) => !url.startsWith('data:')),
      [`${STAND_IN}?auto=off`],
    );
    assert.deepEqual(errors, []);
  });
});
