import { expect } from '@open-wc/testing';
import { framePage } from './support/frames.js';

/**
 * The built element in a page, in its production build (what the default export condition and
 * `wepay-risk-token.min.js` give) and its development build (the `development` condition,
 * `wepay-risk-token.development.js`): both refuse the same mistakes the same way; only the development build
 * explains them.
 */
const BUILDS = [
  { module: '/dist/index.js', development: false },
  { module: '/dist/wepay-risk-token.min.js', development: false },
  { module: '/dist/development/index.js', development: true },
  { module: '/dist/wepay-risk-token.development.js', development: true },
];

interface Seen {
  warnings: string[];
  errors: Array<{ reason: string; message: string }>;
}

describe('the production and development builds in a page', () => {
  for (const { module, development } of BUILDS) {
    const explained = development ? 'warns and says why' : 'neither warns nor explains: the message is the reason';
    it(`${module}: a bad timeout and a src on another origin fail as in any build; it ${explained}`, async () => {
      const { window: page } = await framePage(`
        <script>
          window.seen = { warnings: [], errors: [] };
          const warn = console.warn;
          console.warn = (message, ...rest) =>
            String(message).startsWith('<wepay-risk-token>') ? seen.warnings.push(message) : warn(message, ...rest);
          document.addEventListener('wepay-risk-token-error', ({ detail }) =>
            seen.errors.push({ reason: detail.reason, message: detail.error.message }));
        </script>
        <script type="module" src="${module}"></script>
        <form><wepay-risk-token trigger="eager" timeout="soon" src="https://evil.test/risk.js"></wepay-risk-token></form>`);
      await page.customElements.whenDefined('wepay-risk-token');
      const element = page.document.querySelector('wepay-risk-token')!;
      const seen = (page as typeof page & { seen: Seen }).seen;
      if (seen.errors.length === 0) {
        await new Promise((resolve) => element.addEventListener('wepay-risk-token-error', resolve, { once: true }));
      }

      expect(element.timeout).to.equal(10_000);
      expect(element.state).to.equal('error');
      expect(seen.errors.map(({ reason }) => reason)).to.deep.equal(['load-failed']);
      if (development) {
        expect(seen.errors[0]!.message).to.contain("window.WePayRiskToken = { scriptOrigins: ['https://evil.test'] }");
        expect(seen.warnings).to.have.length(1);
        expect(seen.warnings[0]).to.contain('timeout=soon');
      } else {
        expect(seen.errors[0]!.message).to.equal('load-failed');
        expect(seen.warnings).to.deep.equal([]);
      }
    });
  }
});
