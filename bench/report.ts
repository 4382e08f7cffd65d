/**
 * Turns the benchmark's runs into rows of medians and shares: the Markdown table it prints and the figures
 * it writes under bench/results/.
 */
import type { ContenderId } from './contenders.js';
import type { Arrival } from './server.js';

/** When the shopper submits: ms after navigation, or after the tab's clock has moved 48 h on. */
export type SubmitAt = number | 'after 48 h';

export interface Condition {
  arrival: Arrival;
  submit: SubmitAt;
}

/** What one page load and submit gave. */
export interface Sample {
  /** ms from navigation start, as the page saw them at the click; null if there was no click. */
  fcp: number | null;
  dcl: number | null;
  /** Tasks over 50 ms from navigation to the click. */
  longTasks: number | null;
  /** Uncaught exceptions from navigation until the post arrived. */
  pageErrors: number;
  /** ms from navigation start to the trusted click, by the page's clock. */
  clickedAt: number | null;
  /** What the post carried as `wepay_risk_token`; null when no post reached the server. */
  posted: string | null;
  /** The posted value is a UUID that had not expired. */
  uuid: boolean;
  /**
   * ms from the first profiling request for the posted session to the post's arrival: positive when the
   * session was profiled before the post, negative when only after it; null when it never was (by the end of
   * the benchmark) or nothing was posted.
   */
  profileLead: number | null;
  /** The posted value is the UUID the page had before its clock moved 48 h on. */
  expired: boolean;
  /** ms from the click to the post arriving at the server. */
  clickToPost: number | null;
}

export interface Row extends Condition {
  contender: ContenderId;
  label: string;
  runs: number;
  medians: {
    fcp: number | null;
    dcl: number | null;
    longTasks: number | null;
    pageErrors: number | null;
    /** Over the runs that posted a UUID. */
    profileLead: number | null;
    clickToPost: number | null;
  };
  counts: { uuid: number; profiled: number; expired: number; reached: number };
  samples: Sample[];
}

export function median(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const middle = Math.floor(known.length / 2);
  return known.length % 2 ? known[middle]! : (known[middle - 1]! + known[middle]!) / 2;
}

export function summarise(contender: ContenderId, label: string, condition: Condition, samples: Sample[]): Row {
  const count = (test: (sample: Sample) => boolean) => samples.filter(test).length;
  return {
    contender,
    label,
    ...condition,
    runs: samples.length,
    medians: {
      fcp: median(samples.map((sample) => sample.fcp)),
      dcl: median(samples.map((sample) => sample.dcl)),
      longTasks: median(samples.map((sample) => sample.longTasks)),
      pageErrors: median(samples.map((sample) => sample.pageErrors)),
      profileLead: median(samples.filter((sample) => sample.uuid).map((sample) => sample.profileLead)),
      clickToPost: median(samples.map((sample) => sample.clickToPost)),
    },
    counts: {
      uuid: count((sample) => sample.uuid),
      profiled: count((sample) => sample.uuid && sample.profileLead !== null && sample.profileLead > 0),
      expired: count((sample) => sample.expired),
      reached: count((sample) => sample.posted !== null),
    },
    samples,
  };
}

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);
const number = (value: number | null) => (value === null ? '—' : String(value));

export const arrivalText = (arrival: Arrival) =>
  arrival === 'blocked' ? 'blocked' : `${arrival.toLocaleString('en-US')} ms`;
export const submitText = (submit: SubmitAt) => (typeof submit === 'number' ? `${submit / 1000} s` : submit);

export function markdownTable(rows: Row[]): string {
  const header = [
    'Risk.js',
    'submit',
    'page',
    'runs',
    'FCP',
    'DCL',
    'long tasks',
    'page errors',
    'posts a UUID',
    'UUID profiled',
    'profiled ahead of post',
    'reaches server',
    'click → post',
  ];
  const lines = rows.map((row) => {
    const share = (count: number) => `${count}/${row.runs}`;
    const uuid = row.counts.expired
      ? `${share(row.counts.uuid)} (${row.counts.expired} expired)`
      : share(row.counts.uuid);
    return [
      arrivalText(row.arrival),
      submitText(row.submit),
      row.label,
      String(row.runs),
      ms(row.medians.fcp),
      ms(row.medians.dcl),
      number(row.medians.longTasks),
      number(row.medians.pageErrors),
      uuid,
      share(row.counts.profiled),
      ms(row.medians.profileLead),
      share(row.counts.reached),
      ms(row.medians.clickToPost),
    ];
  });
  const align = header.map((_, column) => (column < 3 ? '---' : '--:'));
  return [header, align, ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * One line per contender, pooled from the rows: the headline. Shares pool every run of the cells named;
 * the paint is the median of every run with Risk.js at 1,500 ms; the wait is the slowest cell's median.
 */
export function summaryTable(rows: Row[], labels: ReadonlyArray<{ id: ContenderId; label: string }>): string {
  const header = [
    'page',
    'profiled UUID, Risk.js loads',
    'profiled UUID, after 48 h',
    'orders reaching the server',
    'runs with a page error',
    'FCP, Risk.js at 1,500 ms',
    'slowest click → post',
  ];
  const lines = labels.map(({ id, label }) => {
    const own = rows.filter((row) => row.contender === id);
    const samples = (keep: (row: Row) => boolean) => own.filter(keep).flatMap((row) => row.samples);
    const share = (pool: Sample[], test: (sample: Sample) => boolean) => `${pool.filter(test).length}/${pool.length}`;
    const profiled = (sample: Sample) => sample.uuid && sample.profileLead !== null && sample.profileLead > 0;
    const loads = samples((row) => row.arrival !== 'blocked' && typeof row.submit === 'number');
    const slowest = own
      .map((row) => row.medians.clickToPost)
      .reduce<number | null>(
        (worst, value) => (value !== null && (worst === null || value > worst) ? value : worst),
        null,
      );
    return [
      label,
      share(loads, profiled),
      share(
        samples((row) => row.submit === 'after 48 h'),
        profiled,
      ),
      share(
        samples(() => true),
        (sample) => sample.posted !== null,
      ),
      share(
        samples(() => true),
        (sample) => sample.pageErrors > 0,
      ),
      ms(median(samples((row) => row.arrival === 1500).map((sample) => sample.fcp))),
      ms(slowest),
    ];
  });
  const align = header.map((_, column) => (column === 0 ? '---' : '--:'));
  return [header, align, ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
