/**
 * The shopper: browser tabs that each load a checkout page, wait until it has painted and the submit time has
 * come, click "Pay" with the mouse (a trusted click), and note what the form posted and when.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Contender } from './contenders.js';
import { PAGE_PROBE, type ClickReport } from './page-probe.js';
import type { Condition, Sample } from './report.js';
import { epochNow, type BenchServer } from './server.js';

/** What one page load and submit is for. */
export interface Job {
  id: string;
  contender: Contender;
  condition: Condition;
}

/** Past WePay's 48 h token lifetime, and past the element's expiry 5 minutes before it. */
export const CLOCK_SKEW_MS = (48 * 60 + 1) * 60 * 1000;
/** Every page paints in well under this, even with Risk.js blocking it for 1,500 ms. */
const PAINT_DEADLINE_MS = 10_000;
/** The element holds a submit for at most submit-wait (3 s); the rest is slack for a busy machine. */
const POST_DEADLINE_MS = 6_000;
/** Long enough for Risk.js's own generation 5 s after `load` on a page whose load waited for Risk.js. */
const TOKEN_DEADLINE_MS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** In the page: Risk.js has made its token, and every element on the page holds it. */
const PAGE_HAS_TOKEN = `(() => {
  const risk = window.WePay && WePay.risk;
  return !!risk && ${UUID}.test(String(risk.get_risk_token())) && !document.querySelector('wepay-risk-token:not([state="ready"])');
})()`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Who is busy: a page from navigation until it has painted, and from its click until its post has arrived. A
 * page load waits until nobody is busy; a click waits for nobody (its time is the condition), so a click may
 * still meet another page's load.
 */
export class Stage {
  #busy = 0;
  #waiting: Array<() => void> = [];

  async alone<T>(work: () => Promise<T>): Promise<T> {
    while (this.#busy > 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return this.busy(work);
  }

  async busy<T>(work: () => Promise<T>): Promise<T> {
    this.#busy += 1;
    try {
      return await work();
    } finally {
      this.#busy -= 1;
      if (this.#busy === 0) for (const wake of this.#waiting.splice(0)) wake();
    }
  }
}

/**
 * One browser tab that loads and submits its jobs one after another. Reusing the tab keeps its renderer
 * process warm (a repeat visit, with the HTTP cache off: every response is `no-store`), and keeps the cost
 * of starting a process out of the timings of the other tabs.
 */
export class ShopperTab {
  readonly #page: Page;
  #pageErrors = 0;
  #reportClick: (report: ClickReport) => void = () => undefined;

  private constructor(page: Page) {
    this.#page = page;
  }

  static async open(browser: Browser, server: BenchServer, name: string): Promise<ShopperTab> {
    // Its own context, so its own window: a background tab of a shared window would never paint.
    const tab = new ShopperTab(await (await browser.createBrowserContext()).newPage());
    tab.#page.on('pageerror', () => (tab.#pageErrors += 1));
    await tab.#page.exposeFunction('benchClicked', (report: ClickReport) => tab.#reportClick(report));
    await tab.#page.evaluateOnNewDocument(PAGE_PROBE);
    // The first page a new renderer shows is slow to paint: not one to measure.
    await tab.#page.goto(server.pageUrl('d', name, 0));
    await tab.#page.goto('about:blank');
    return tab;
  }

  /** Loads, waits, clicks, and notes what arrived; whether the session was profiled is told at the end. */
  async run(
    server: BenchServer,
    stage: Stage,
    { id, contender, condition }: Job,
  ): Promise<Omit<Sample, 'profileLead'>> {
    const page = this.#page;
    const clicked = new Promise<ClickReport>((resolve) => (this.#reportClick = resolve));
    const { navigationStart, button } = await stage.alone(async () => {
      const start = epochNow();
      this.#pageErrors = 0;
      await page.goto(server.pageUrl(contender.id, id, condition.arrival), { waitUntil: 'domcontentloaded' });
      // A shopper cannot press what is not on screen yet.
      await page.waitForFunction('benchProbe.fcp !== null', { polling: 10, timeout: PAINT_DEADLINE_MS });
      // Found now, so that at submit time the click is just the mouse's events.
      const box = await (await page.$('button'))!.boundingBox();
      return { navigationStart: start, button: { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 } };
    });
    let staleToken: unknown;
    if (condition.submit === 'after 48 h') {
      await page.waitForFunction(PAGE_HAS_TOKEN, { timeout: TOKEN_DEADLINE_MS });
      staleToken = await page.evaluate('WePay.risk.get_risk_token()');
      await page.evaluate(`benchProbe.advanceClock(${CLOCK_SKEW_MS})`);
    } else {
      await sleep(navigationStart + condition.submit - epochNow());
    }
    const { click, post } = await stage.busy(async () => {
      // The page's errors are all in once the thank-you page has replaced it (an error in a submit handler
      // is reported after the post may already have arrived).
      const replaced = page
        .waitForNavigation({ waitUntil: 'domcontentloaded', timeout: POST_DEADLINE_MS })
        .catch(() => null);
      await page.mouse.click(button.x, button.y);
      const click = await Promise.race([clicked, sleep(POST_DEADLINE_MS).then(() => null)]);
      const post = await server.post(id, POST_DEADLINE_MS);
      if (post) await replaced;
      return { click, post };
    });

    const token = post?.token.toLowerCase() ?? '';
    const expired = token !== '' && token === String(staleToken).toLowerCase();
    return {
      fcp: click?.fcp ?? null,
      dcl: click?.dcl ?? null,
      longTasks: click?.longTasks ?? null,
      pageErrors: this.#pageErrors,
      clickedAt: click ? click.at - navigationStart : null,
      posted: post?.token ?? null,
      uuid: UUID.test(token) && !expired,
      expired,
      clickToPost: post && click ? post.at - click.at : null,
    };
  }
}
