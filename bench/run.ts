/**
 * Benchmark (issue 12): five ways of putting a WePay risk token into a checkout form (bench/contenders.ts),
 * under a model of WePay's real Risk.js (the stand-in's defaults: a synchronous token, generation 5 s after
 * `load`, one device-profiling request per session), with Risk.js arriving late or blocked and the shopper
 * submitting early or late, or after the tab has stayed open 48 h.
 *
 * Each run opens a fresh browser context in headless Chromium, loads a page from the local bench server
 * (bench/server.ts), waits until the page has painted and the submit time has come, clicks "Pay" as a shopper
 * does (a trusted click), and notes what was posted and when. Contenders take turns in every condition, a
 * different one first in each run; every cell is reported as medians and shares over its runs.
 *
 *   npm run bench                  full grid, 3 runs per cell (RUNS=5 npm run bench for more)
 *   npm run bench -- --quick       full grid, 1 run per cell
 *
 * Prints the table and the sizes beside their goals; writes the figures to bench/results/.
 */
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../test/support/chrome.js';
import { CONTENDERS, type Contender } from './contenders.js';
import { PAGE_PROBE, type ClickReport } from './page-probe.js';
import { arrivalText, markdownTable, submitText, summarise, type Condition, type Row, type Sample } from './report.js';
import { epochNow, startBenchServer, type Arrival, type BenchServer } from './server.js';
import { measureSizes, readSizeBudgets, sizeTable } from './size.js';

const QUICK = process.argv.includes('--quick');
const RUNS = Number(process.env.RUNS ?? (QUICK ? 1 : 3));
/**
 * Pages in flight at once. A page spends most of its time waiting for its submit time; the {@link Stage}
 * keeps the pages' loads apart, so that only waiting pages overlap a load.
 */
const LANES = Number(process.env.LANES ?? 4);

const ARRIVALS: Arrival[] = [100, 300, 1500, 'blocked'];
const SUBMIT_TIMES_MS = [500, 1000, 2000, 5000];
/** The 48 h condition: Risk.js arrives after 300 ms; the shopper submits once the page has its token. */
const AFTER_48_H: Condition = { arrival: 300, submit: 'after 48 h' };
const CONDITIONS: Condition[] = [
  ...ARRIVALS.flatMap((arrival) => SUBMIT_TIMES_MS.map((submit) => ({ arrival, submit }))),
  AFTER_48_H,
];

/** Past WePay's 48 h token lifetime, and past the element's expiry 5 minutes before it. */
const CLOCK_SKEW_MS = (48 * 60 + 1) * 60 * 1000;
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
 * Who is busy: a page from navigation until it has painted, and from its click until its post arrives. A
 * page load waits until nobody is busy; a click waits for nobody (its time is the condition), so a click may
 * still meet another page's load.
 */
class Stage {
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

interface Job {
  id: string;
  contender: Contender;
  condition: Condition;
}

/**
 * One browser tab that loads and submits its jobs one after another. Reusing the tab keeps its renderer
 * process warm (a repeat visit, with the HTTP cache off: every response is `no-store`), and keeps the cost of
 * starting a process out of the timings of the other tabs.
 */
class Lane {
  readonly #page: Page;
  #pageErrors = 0;
  #reportClick: (report: ClickReport) => void = () => undefined;

  private constructor(page: Page) {
    this.#page = page;
  }

  static async open(browser: Browser, server: BenchServer, name: string): Promise<Lane> {
    // Its own context, so its own window: a background tab of a shared window would never paint.
    const lane = new Lane(await (await browser.createBrowserContext()).newPage());
    lane.#page.on('pageerror', () => (lane.#pageErrors += 1));
    await lane.#page.exposeFunction('benchClicked', (report: ClickReport) => lane.#reportClick(report));
    await lane.#page.evaluateOnNewDocument(PAGE_PROBE);
    // The first page a new renderer shows is slow to paint: not one to measure.
    await lane.#page.goto(server.pageUrl('d', name, 0));
    await lane.#page.goto('about:blank');
    return lane;
  }

  async run(server: BenchServer, stage: Stage, { id, contender, condition }: Job): Promise<Sample> {
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
      await page.mouse.click(button.x, button.y);
      const click = await Promise.race([clicked, sleep(POST_DEADLINE_MS).then(() => null)]);
      return { click, post: await server.post(id, POST_DEADLINE_MS) };
    });

    const token = post?.token.toLowerCase() ?? '';
    const expired = token !== '' && token === String(staleToken).toLowerCase();
    const uuid = UUID.test(token) && !expired;
    const profiledAt = uuid ? server.profiledAt(token) : undefined;
    return {
      fcp: click?.fcp ?? null,
      dcl: click?.dcl ?? null,
      longTasks: click?.longTasks ?? null,
      pageErrors: this.#pageErrors,
      clickedAt: click ? click.at - navigationStart : null,
      posted: post?.token ?? null,
      uuid,
      profiled: profiledAt !== undefined && post !== undefined && profiledAt < post.at,
      expired,
      clickToPost: post && click ? post.at - click.at : null,
    };
  }
}

/** Every cell `RUNS` times; within a run, each condition's contenders in turn, starting with a different one. */
function schedule(): Job[] {
  const jobs: Job[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    CONDITIONS.forEach((condition, index) => {
      for (let turn = 0; turn < CONTENDERS.length; turn += 1) {
        const contender = CONTENDERS[(turn + run + index) % CONTENDERS.length]!;
        jobs.push({ id: `${run}-${index}-${contender.id}`, contender, condition });
      }
    });
  }
  return jobs;
}

async function runAll(browser: Browser, server: BenchServer, jobs: Job[]): Promise<Map<Job, Sample>> {
  const samples = new Map<Job, Sample>();
  const stage = new Stage();
  let next = 0;
  const lanes: Lane[] = [];
  for (let lane = 0; lane < LANES; lane += 1) lanes.push(await Lane.open(browser, server, `warm-up-${lane}`));
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        samples.set(job, await lane.run(server, stage, job));
        if (process.stderr.isTTY) process.stderr.write(`\r${samples.size}/${jobs.length} page loads`);
      }
    }),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  return samples;
}

function rowsOf(jobs: Job[], samples: Map<Job, Sample>): Row[] {
  return CONDITIONS.flatMap((condition) =>
    CONTENDERS.map((contender) => {
      const cell = jobs.filter((job) => job.condition === condition && job.contender === contender);
      return summarise(contender.id, contender.label, condition, cell.map((job) => samples.get(job)!));
    }),
  );
}

function machine() {
  const processors = cpus();
  return {
    os: `${osType()} ${release()}`,
    cpus: processors.length,
    cpuModel: processors[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    loadAverage1m: loadavg()[0],
  };
}

async function main(): Promise<void> {
  const began = Date.now();
  const machineAtStart = machine();
  const server = await startBenchServer();
  const browser = await puppeteer.launch({ executablePath: chromePath, headless: true, args: chromeArgs });
  let rows: Row[];
  let browserVersion: string;
  try {
    browserVersion = await browser.version();
    const jobs = schedule();
    rows = rowsOf(jobs, await runAll(browser, server, jobs));
  } finally {
    await browser.close();
    await server.close();
  }
  const seconds = Math.round((Date.now() - began) / 1000);
  const sizes = await measureSizes();
  const budgets = await readSizeBudgets();

  console.log(
    `\n${browserVersion}, Node ${process.version}, ${machineAtStart.cpus} × ${machineAtStart.cpuModel}, ` +
      `load average ${machineAtStart.loadAverage1m.toFixed(1)} at the start; ${RUNS} run(s) per cell, ` +
      `${LANES} pages at once; ${seconds} s. Medians; shares are of runs.\n`,
  );
  console.log(markdownTable(rows));
  console.log(`\nSizes:\n\n${sizeTable(sizes, budgets)}\n`);

  const results = {
    date: new Date(began).toISOString(),
    machine: { ...machineAtStart, loadAverage1mAtEnd: loadavg()[0] },
    browser: browserVersion,
    node: process.version,
    runs: RUNS,
    lanes: LANES,
    quick: QUICK,
    seconds,
    conditions: {
      arrivals: ARRIVALS.map(arrivalText),
      submitTimes: SUBMIT_TIMES_MS.map(submitText),
      after48h: `Risk.js after ${arrivalText(AFTER_48_H.arrival)}; once the page has its token, its clock moves ${CLOCK_SKEW_MS / 60_000} min on; then the shopper submits`,
    },
    contenders: Object.fromEntries(CONTENDERS.map((contender) => [contender.id, contender.description])),
    sizes: { bytes: sizes, budgets },
    rows,
  };
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/${QUICK ? 'quick' : 'latest'}.json`;
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Figures written to ${file}.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
