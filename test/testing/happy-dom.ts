/**
 * Makes happy-dom's window the global scope of this test process, as a unit-test environment does (Vitest's
 * `environment: 'happy-dom'`, Jest's jsdom), and waits for its `load`, so the tests start in a loaded page.
 * Import it before anything else: the package defines `<wepay-risk-token>` on import, and only where
 * `customElements` exists.
 */
import { GlobalRegistrator } from '@happy-dom/global-registrator';
import { after } from 'node:test';

GlobalRegistrator.register({ url: 'http://localhost:3000/' });
after(() => GlobalRegistrator.unregister());

if (document.readyState !== 'complete') {
  await new Promise((loaded) => window.addEventListener('load', loaded, { once: true }));
}
