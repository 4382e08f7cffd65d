/**
 * Benchmark (issue 12): five ways of putting a WePay risk token into a checkout form (bench/contenders.ts),
 * under a model of WePay's real Risk.js (the stand-in's defaults: a synchronous token, generation 5 s after
 * `load`, one device-profiling request per session), with Risk.js arriving late or blocked and the shopper
 * submitting early or late, or after the tab has stayed open 48 h.
 *
 * A few tabs of headless Chromium (bench/shopper.ts) load the pages from the local bench server
 * (bench/server.ts), wait until the page has painted and the submit time has come, click "Pay" as a shopper
 * does (a trusted click), and note what was posted and when. Contenders take turns in every condition, a
 * different one first in each run; every cell is reported as medians and shares over its runs.
 *
 *   npm run bench                  full grid, 3 runs per cell (RUNS=5 npm run bench for more)
 *   npm run bench -- --quick       full grid, 1 run per cell
 *   TABS=1 npm run bench           one page at a time (about three times as long)
 *
 * Then the connection condition (bench/connections.ts): WePay's hosts behind 300 ms of connection set-up, a
 * submit held from the shopper's first press, the element with and without its connection hints, taking turns,
 * {@link CONNECTION_PAIRS_PER_RUN} pairs of cold page loads per run, with third-party cookies allowed and blocked.
 *
 * Prints the tables and the sizes beside their goals; writes the figures to bench/results/latest.json
 * (quick.json with --quick).
 */
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../test/support/chrome.js';
import { CONNECT_DELAY_MS, connectionsTable, runConnections, type ConnectionRow } from './connections.js';
import { CONTENDERS } from './contenders.js';
import {
  arrivalText,
  markdownTable,
  submitText,
  summarise,
  summaryTable,
  type Condition,
  type Row,
  type Sample,
} from './report.js';
import { startBenchServer, type Arrival, type BenchServer } from './server.js';
import { CLOCK_SKEW_MS, ShopperTab, Stage, type Job } from './shopper.js';
import { measureSizes, readSizeBudgets, sizeTable } from './size.js';

/** A whole number from the environment, or `fallback` when it is not set. */
function positiveInteger(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${variable}=${text}: a whole number of 1 or more, please.`);
  return value;
}

const QUICK = process.argv.includes('--quick');
const RUNS = positiveInteger('RUNS', QUICK ? 1 : 3);
/**
 * Pages in flight at once, each in its own tab. A page spends most of its time waiting for its submit time;
 * the {@link Stage} keeps the pages' loads apart, so that only waiting pages overlap a load.
 */
const TABS = positiveInteger('TABS', 4);

/** Pairs of page loads (one with hints, one without) per run and cookie setting in the connection condition. */
const CONNECTION_PAIRS_PER_RUN = 5;

const ARRIVALS: Arrival[] = [100, 300, 1500, 'blocked'];
const SUBMIT_TIMES_MS = [500, 1000, 2000, 5000];
/** The 48 h condition: Risk.js arrives after 300 ms; the shopper submits once the page has its token. */
const AFTER_48_H: Condition = { arrival: 300, submit: 'after 48 h' };
const CONDITIONS: Condition[] = [
  ...ARRIVALS.flatMap((arrival) => SUBMIT_TIMES_MS.map((submit) => ({ arrival, submit }))),
  AFTER_48_H,
];

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

/** Runs the jobs in {@link TABS} tabs at once, each tab taking the next job when it is free. */
async function runAll(browser: Browser, server: BenchServer, jobs: Job[]): Promise<Map<Job, Sample>> {
  const outcomes = new Map<Job, Omit<Sample, 'profileLead'>>();
  const stage = new Stage();
  let next = 0;
  const tabs: ShopperTab[] = [];
  for (let tab = 0; tab < TABS; tab += 1) tabs.push(await ShopperTab.open(browser, server, `warm-up-${tab}`));
  await Promise.all(
    tabs.map(async (tab) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        outcomes.set(job, await tab.run(server, stage, job));
        if (process.stderr.isTTY) process.stderr.write(`\r${outcomes.size}/${jobs.length} page loads`);
      }
    }),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  // Asked only now, so that a profiling request that came after its post shows as such, not as none.
  return new Map(jobs.map((job) => [job, { ...outcomes.get(job)!, profileLead: server.profileLead(job.id) }]));
}

function rowsOf(jobs: Job[], samples: Map<Job, Sample>): Row[] {
  return CONDITIONS.flatMap((condition) =>
    CONTENDERS.map((contender) => {
      const cell = jobs.filter((job) => job.condition === condition && job.contender === contender);
      return summarise(
        contender.id,
        contender.label,
        condition,
        cell.map((job) => samples.get(job)!),
      );
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
  let connectionRows: ConnectionRow[];
  let browserVersion: string;
  try {
    try {
      browserVersion = await browser.version();
      const jobs = schedule();
      rows = rowsOf(jobs, await runAll(browser, server, jobs));
    } finally {
      await browser.close();
    }
    connectionRows = await runConnections(server, RUNS * CONNECTION_PAIRS_PER_RUN);
  } finally {
    await server.close();
  }
  const seconds = Math.round((Date.now() - began) / 1000);
  const sizes = await measureSizes();
  const budgets = await readSizeBudgets();

  console.log(
    `\n${browserVersion}, Node ${process.version}, ${machineAtStart.cpus} × ${machineAtStart.cpuModel}, ` +
      `load average ${machineAtStart.loadAverage1m.toFixed(1)} at the start; ${RUNS} run(s) per cell, ` +
      `${TABS} pages at once; ${seconds} s. Medians; shares are of runs.\n`,
  );
  console.log(`${summaryTable(rows, CONTENDERS)}\n`);
  console.log(markdownTable(rows));
  console.log(
    `\nConnection set-up of ${CONNECT_DELAY_MS} ms to each of WePay's hosts; the first press of Pay starts the ` +
      `element (trigger="interaction") and is held:\n\n${connectionsTable(connectionRows)}`,
  );
  console.log(`\nSizes:\n\n${sizeTable(sizes, budgets)}\n`);

  const results = {
    date: new Date(began).toISOString(),
    machine: { ...machineAtStart, loadAverage1mAtEnd: loadavg()[0] },
    browser: browserVersion,
    node: process.version,
    runs: RUNS,
    tabs: TABS,
    quick: QUICK,
    seconds,
    conditions: {
      arrivals: ARRIVALS.map(arrivalText),
      submitTimes: SUBMIT_TIMES_MS.map(submitText),
      after48h: `Risk.js after ${arrivalText(AFTER_48_H.arrival)}; once the page has its token, its clock moves ${CLOCK_SKEW_MS / 60_000} min on; then the shopper submits`,
      connections: `${CONNECT_DELAY_MS} ms to set up each new connection to static.wepay.com and t.wepay.com (HTTP/2); trigger="interaction", the first press of Pay held; each page load cold, on a site of its own; third-party cookies allowed, then blocked`,
    },
    contenders: Object.fromEntries(CONTENDERS.map((contender) => [contender.id, contender.description])),
    sizes: { bytes: sizes, budgets },
    rows,
    connections: connectionRows,
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
