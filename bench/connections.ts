/**
 * The connection condition (issue 20): WePay's hosts are reached over connections that take
 * {@link CONNECT_DELAY_MS} to set up, as DNS, TCP and TLS do on a slow mobile network, and the shopper's first
 * press of Pay is what starts the element (`trigger="interaction"`), so the submit is held for the token and
 * its device profiling. The element with its connection hints takes turns with the same source built without
 * them (`src/preconnect.ts` replaced by functions that do nothing); both are built alike, by esbuild, minified,
 * as the production build (`DEV` false).
 *
 * Chromium reaches `https://static.wepay.com` and `https://t.wepay.com` at two slow HTTPS ports of the bench
 * server (`--host-resolver-rules`; two ports and two certificates, which `openssl` makes at start, so that
 * Chromium cannot share one HTTP/2 connection between the hosts). Each page load starts cold, without a
 * browser per load: its page is on a site of its own (`http://shop-N.test`), and Chromium keys its sockets, its
 * HTTP cache and what its predictor learns by the page's site. The server counts the connections each load
 * opened to each host, so that a warm one would show. The pages load in Chromium's default profile: in a
 * browser context made by puppeteer (an incognito one), Chromium makes no preconnect at all.
 *
 * Chromium pools a connection by whether the request may carry cookies; where third-party cookies are blocked,
 * a request to WePay's hosts from a shop's page carries none, and a hint's connection (which may) serves it
 * not. So the condition runs twice: with third-party cookies allowed, and blocked.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer-core';
import { selfSignedCertificate } from '../test/support/certificate.js';
import { chromeArgs, chromePath } from '../test/support/chrome.js';
import { checkout } from './contenders.js';
import { PAGE_PROBE, type ClickReport } from './page-probe.js';
import { median } from './report.js';
import type { BenchServer, SlowTls } from './server.js';

/** Set-up time of each new connection to WePay's hosts. */
export const CONNECT_DELAY_MS = 300;
const SCRIPT_HOST = 'static.wepay.com';
const PROFILING_HOST = 't.wepay.com';
/** The element holds a submit for at most submit-wait (3 s); the rest is slack for a busy machine. */
const DEADLINE_MS = 8_000;

export type HintsId = 'hints' | 'no-hints';
export type ThirdPartyCookies = 'allowed' | 'blocked';

const VARIANTS: ReadonlyArray<{ id: HintsId; label: string }> = [
  { id: 'hints', label: 'element, with hints' },
  { id: 'no-hints', label: 'element, hints removed' },
];

/** Chromium's `profile.cookie_controls_mode` for each setting. */
const COOKIE_CONTROLS: Record<ThirdPartyCookies, number> = { allowed: 0, blocked: 1 };

export interface ConnectionSample {
  /** ms from the trusted click to the post's arrival; null if nothing was posted. */
  clickToPost: number | null;
  /** The post carried a UUID whose session was profiled before the post arrived. */
  profiledUuid: boolean;
  /** Connections this page load opened to Risk.js's host and to the profiling host. */
  connections: { script: number; profiling: number };
}

export interface ConnectionRow {
  thirdPartyCookies: ThirdPartyCookies;
  variant: HintsId;
  label: string;
  runs: number;
  medianClickToPost: number | null;
  profiledUuid: number;
  samples: ConnectionSample[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `src/index.ts` as a standalone production module, with or without its connection hints. */
async function elementBuild(hints: boolean): Promise<Uint8Array> {
  const replaced = new Map([['dev.ts', 'export const DEV = false;']]);
  if (!hints) {
    replaced.set(
      'preconnect.ts',
      'export const preconnectScript = () => {};\nexport const preconnectProfiling = () => {};',
    );
  }
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'variant',
        setup(builder) {
          builder.onLoad({ filter: /[\\/]src[\\/](dev|preconnect)\.ts$/ }, ({ path }) => {
            const contents = replaced.get(basename(path));
            return contents === undefined ? undefined : { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  return result.outputFiles[0]!.contents;
}

function page(variant: HintsId, id: string): string {
  const src = `https://${SCRIPT_HOST}/min/js/risk.js?arrival=0&profile=${encodeURIComponent(`https://${PROFILING_HOST}`)}`;
  return checkout(
    {
      head: `<script type="module" src="/connections/${variant}.js"></script>`,
      field: `<wepay-risk-token trigger="interaction" src="${src}"></wepay-risk-token>`,
    },
    `/checkout/${encodeURIComponent(id)}`,
  );
}

/** Chromium in a profile of its own, with third-party cookies allowed or blocked, WePay's hosts on `hosts`. */
async function launch(cookies: ThirdPartyCookies, rules: string[]): Promise<{ browser: Browser; profile: string }> {
  const profile = await mkdtemp(join(tmpdir(), 'bench-profile-'));
  await mkdir(join(profile, 'Default'));
  const preferences = { profile: { cookie_controls_mode: COOKIE_CONTROLS[cookies] } };
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  const browser = await puppeteer.launch({
    executablePath: chromePath,
    headless: true,
    userDataDir: profile,
    acceptInsecureCerts: true,
    args: [...chromeArgs, `--host-resolver-rules=${rules.join(', ')}`, '--ignore-certificate-errors'],
  });
  return { browser, profile };
}

/** One cold page load: waits for the element and the paint, presses Pay, and notes when the post arrived. */
async function load(browser: Browser, server: BenchServer, hosts: Map<string, SlowTls>, variant: HintsId, id: string) {
  const tab = await browser.newPage();
  try {
    let reportClick: (report: ClickReport) => void = () => undefined;
    const clicked = new Promise<ClickReport>((resolve) => (reportClick = resolve));
    await tab.exposeFunction('benchClicked', (report: ClickReport) => reportClick(report));
    await tab.evaluateOnNewDocument(PAGE_PROBE);
    server.serve(`/connections/${id}`, 'text/html; charset=utf-8', page(variant, id));
    const opened = new Map([...hosts].map(([host, tls]) => [host, tls.connections.get(host) ?? 0]));
    // A site of its own: nothing of an earlier load is keyed to it.
    await tab.goto(`http://shop-${id}.test/connections/${id}`, { waitUntil: 'load' });
    await tab.waitForFunction('!!customElements.get("wepay-risk-token") && benchProbe.fcp !== null', {
      polling: 10,
      timeout: DEADLINE_MS,
    });
    const box = (await (await tab.$('button'))!.boundingBox())!;
    const replaced = tab.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: DEADLINE_MS }).catch(() => null);
    await tab.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const click = await Promise.race([clicked, sleep(DEADLINE_MS).then(() => null)]);
    const post = await server.post(id, DEADLINE_MS);
    if (post) await replaced;
    const since = (host: string) => (hosts.get(host)!.connections.get(host) ?? 0) - opened.get(host)!;
    return {
      clickToPost: post && click ? post.at - click.at : null,
      uuid: UUID.test(post?.token ?? ''),
      connections: { script: since(SCRIPT_HOST), profiling: since(PROFILING_HOST) },
    };
  } finally {
    await tab.close();
  }
}

/**
 * Runs the condition `pairs` times for each third-party cookie setting, the two builds taking turns (a
 * different one first in each pair), one page at a time: a page of the other build loading meanwhile would
 * compete for the same two cores.
 */
export async function runConnections(server: BenchServer, pairs: number): Promise<ConnectionRow[]> {
  const [withHints, withoutHints] = await Promise.all([elementBuild(true), elementBuild(false)]);
  server.serve('/connections/hints.js', 'text/javascript', withHints);
  server.serve('/connections/no-hints.js', 'text/javascript', withoutHints);
  const hosts = new Map<string, SlowTls>();
  for (const host of [SCRIPT_HOST, PROFILING_HOST]) {
    hosts.set(host, await server.slowTls({ ...(await selfSignedCertificate([host])), delay: CONNECT_DELAY_MS }));
  }
  const rules = [
    ...[...hosts].map(([host, { port }]) => `MAP ${host} 127.0.0.1:${port}`),
    `MAP *.test ${new URL(server.origin).host}`,
  ];
  const rows: ConnectionRow[] = [];
  for (const cookies of ['allowed', 'blocked'] as const) {
    const jobs: Array<{ id: string; variant: HintsId }> = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      for (let turn = 0; turn < VARIANTS.length; turn += 1) {
        const { id: variant } = VARIANTS[(turn + pair) % VARIANTS.length]!;
        jobs.push({ id: `${cookies}-${pair}-${variant}`, variant });
      }
    }
    const outcomes = new Map<string, Awaited<ReturnType<typeof load>>>();
    const { browser, profile } = await launch(cookies, rules);
    try {
      for (const { id, variant } of jobs) {
        outcomes.set(id, await load(browser, server, hosts, variant, id));
        if (process.stderr.isTTY) process.stderr.write(`\r${outcomes.size}/${jobs.length} cold page loads`);
      }
      if (process.stderr.isTTY) process.stderr.write('\n');
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
    for (const { id: variant, label } of VARIANTS) {
      const samples = jobs
        .filter((job) => job.variant === variant)
        .map((job): ConnectionSample => {
          const { clickToPost, uuid, connections } = outcomes.get(job.id)!;
          const lead = server.profileLead(job.id);
          return { clickToPost, profiledUuid: uuid && lead !== null && lead > 0, connections };
        });
      rows.push({
        thirdPartyCookies: cookies,
        variant,
        label,
        runs: samples.length,
        medianClickToPost: median(samples.map((sample) => sample.clickToPost)),
        profiledUuid: samples.filter((sample) => sample.profiledUuid).length,
        samples,
      });
    }
  }
  return rows;
}

/** The two builds side by side under each cookie setting, as a Markdown table. */
export function connectionsTable(rows: ConnectionRow[]): string {
  const header = [
    'third-party cookies',
    'page',
    'runs',
    'held submit: click → post',
    'posts a profiled UUID',
    `connections per load to ${SCRIPT_HOST} / ${PROFILING_HOST}`,
  ];
  const lines = rows.map((row) => {
    const opened = (host: 'script' | 'profiling') => median(row.samples.map((sample) => sample.connections[host]));
    return [
      row.thirdPartyCookies,
      row.label,
      String(row.runs),
      row.medianClickToPost === null ? '—' : `${Math.round(row.medianClickToPost)} ms`,
      `${row.profiledUuid}/${row.runs}`,
      `${opened('script')} / ${opened('profiling')}`,
    ];
  });
  const align = header.map((_, column) => (column < 2 ? '---' : '--:'));
  return [header, align, ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
