import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../support/chrome.js';
import { firefoxPath } from '../support/firefox.js';
import { startWebKitDriver } from '../support/webkit.js';

/**
 * One browser tab, driven as a shopper drives it: pages opened by URL, clicks through the engine's input pipeline
 * (trusted events), and the Back and Forward of the tab's session history, so that a page goes into the engine's
 * back/forward cache and comes out of it as it does for a shopper.
 */
export interface Tab {
  /** Opens `url` as a new entry of the tab's history; resolves once it has loaded. */
  goto(url: string): Promise<void>;
  /** Runs `fn` in the page (its source: it closes over nothing); resolves with its JSON-serializable result. */
  evaluate<Result>(fn: () => Result): Promise<Awaited<Result>>;
  /** Clicks the centre of the element `selector` names, with the engine's trusted input. */
  click(selector: string): Promise<void>;
  /** Goes to the previous entry of the tab's history; the caller waits for the page it shows. */
  back(): Promise<void>;
  /** Goes to the next entry of the tab's history; the caller waits for the page it shows. */
  forward(): Promise<void>;
  /** Why the engine did not restore the last page from its back/forward cache, where it says (Chromium). */
  notRestoredReasons(): string[];
  /** Closes the browser. */
  close(): Promise<void>;
}

export type EngineName = 'Chromium' | 'Firefox' | 'WebKit';

/**
 * Resolves with what `fn` returns in `tab` once that is truthy, polling: a page being left or shown again answers
 * nothing for a moment, which counts as not yet.
 */
export async function waitFor<Result>(
  tab: Tab,
  fn: () => Result,
  what: string,
  timeout = 20_000,
): Promise<NonNullable<Awaited<Result>>> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await tab.evaluate(fn);
      if (result) return result as NonNullable<Awaited<Result>>;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Waited ${timeout} ms in vain for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/** A puppeteer page as a tab; `back` and `forward` as given. */
function puppeteerTab(
  browser: Browser,
  page: Page,
  history: Pick<Tab, 'back' | 'forward' | 'notRestoredReasons'>,
): Tab {
  return {
    async goto(url) {
      await page.goto(url);
    },
    evaluate: (fn) => page.evaluate(fn),
    click: (selector) => page.click(selector),
    ...history,
    close: () => browser.close(),
  };
}

/**
 * Debian's Chromium, headless, with the flags of the other Chromium tests: its back/forward cache is on there
 * (neither those flags nor puppeteer's defaults turn it off). It reports each page it did not restore from that
 * cache, and why (`Page.backForwardCacheNotUsed`).
 */
async function launchChromium(): Promise<Tab> {
  const browser = await puppeteer.launch({ executablePath: chromePath, args: chromeArgs });
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  const cdp = await page.createCDPSession();
  let reasons: string[] = [];
  cdp.on('Page.backForwardCacheNotUsed', ({ notRestoredExplanations }) => {
    reasons = notRestoredExplanations.map(({ type, reason }) => `${type}: ${reason}`);
  });
  await cdp.send('Page.enable');
  const traverse = async (go: () => Promise<unknown>) => {
    reasons = [];
    await go();
  };
  return puppeteerTab(browser, page, {
    back: () => traverse(() => page.goBack()),
    forward: () => traverse(() => page.goForward()),
    notRestoredReasons: () => reasons,
  });
}

/**
 * Firefox ESR, headless, over WebDriver BiDi. WebDriver BiDi reports no navigation for a page restored from the
 * back/forward cache, so puppeteer's `goBack()` would wait for one in vain: the tab traverses its history with the
 * page's own `history.back()` and `history.forward()`, the traversal the toolbar's buttons make.
 */
async function launchFirefox(): Promise<Tab> {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath, headless: true });
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  return puppeteerTab(browser, page, {
    back: () => page.evaluate(() => void setTimeout(() => history.back())),
    forward: () => page.evaluate(() => void setTimeout(() => history.forward())),
    notRestoredReasons: () => [],
  });
}

/** The key under which WebDriver names an element. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/**
 * WebKitGTK's MiniBrowser, over classic WebDriver (WebKitWebDriver, on a display of its own from Xvfb). Its Element
 * Click is trusted input, and its Back and Forward commands traverse the window's history as the toolbar does.
 */
async function launchWebKit(): Promise<Tab> {
  const driver = await startWebKitDriver();
  async function command(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${driver.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = (await response.json()) as { value: unknown };
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(value)}`);
    return value;
  }
  let session: string;
  try {
    const created = (await command('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'MiniBrowser' } },
    })) as { sessionId: string };
    session = `/session/${created.sessionId}`;
  } catch (error) {
    await driver.stop();
    throw error;
  }
  return {
    async goto(url) {
      await command('POST', `${session}/url`, { url });
    },
    evaluate: <Result>(fn: () => Result) =>
      command('POST', `${session}/execute/sync`, {
        // tsx keeps function names with esbuild's `__name` helper, which the page lacks.
        script: `const __name = (target) => target; return (${fn.toString()})();`,
        args: [],
      }) as Promise<Awaited<Result>>,
    async click(selector) {
      const found = (await command('POST', `${session}/element`, { using: 'css selector', value: selector })) as {
        [ELEMENT]: string;
      };
      await command('POST', `${session}/element/${found[ELEMENT]}/click`, {});
    },
    async back() {
      await command('POST', `${session}/back`, {});
    },
    async forward() {
      await command('POST', `${session}/forward`, {});
    },
    notRestoredReasons: () => [],
    async close() {
      try {
        await command('DELETE', session);
      } finally {
        await driver.stop();
      }
    },
  };
}

export const launch: Record<EngineName, () => Promise<Tab>> = {
  Chromium: launchChromium,
  Firefox: launchFirefox,
  WebKit: launchWebKit,
};
