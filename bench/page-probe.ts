/**
 * Runs in every bench page before its own scripts (puppeteer's `evaluateOnNewDocument`), as plain JavaScript
 * so that no compiler helper leaks into the page. It records first contentful paint and long tasks, and at
 * the shopper's trusted click reports them with the time of the click (epoch ms, comparable with the bench
 * server's clock) through the `benchClicked` binding. It also gives the page a clock that the 48 h
 * condition moves forward: `Date.now()` and `new Date()` read it, while timers keep real time — as in a tab
 * left open for two days.
 */
export const PAGE_PROBE = `(() => {
  const RealDate = Date;
  let skew = 0;
  const now = () => RealDate.now() + skew;
  window.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    get: (target, property) => (property === 'now' ? now : Reflect.get(target, property)),
  });
  const probe = { fcp: null, longTasks: 0, advanceClock: (ms) => { skew += ms; } };
  new PerformanceObserver((list, observer) => {
    const paint = list.getEntriesByName('first-contentful-paint')[0];
    if (!paint) return;
    probe.fcp = paint.startTime;
    observer.disconnect();
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => { probe.longTasks += list.getEntries().length; })
    .observe({ type: 'longtask', buffered: true });
  addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    const navigation = performance.getEntriesByType('navigation')[0];
    window.benchClicked({
      at: performance.timeOrigin + performance.now(),
      fcp: probe.fcp,
      dcl: navigation.domContentLoadedEventEnd > 0 ? navigation.domContentLoadedEventEnd : null,
      longTasks: probe.longTasks,
    });
  }, { capture: true });
  Object.defineProperty(window, 'benchProbe', { value: probe });
})();`;

/** What the probe reports at the shopper's click. */
export interface ClickReport {
  /** When the click happened, epoch ms. */
  at: number;
  /** ms from navigation start; null before the first paint. */
  fcp: number | null;
  /** ms from navigation start to the end of DOMContentLoaded handlers; null before. */
  dcl: number | null;
  /** Tasks over 50 ms so far. */
  longTasks: number;
}
