/** Helpers for the tests that watch for what must not happen: waiting out pending tasks, and watching what reaches the hidden input. */

/** A window's own idle callback (where it has one) and timer, taken before any test fakes or wraps them. */
function schedulersOf(page: Window) {
  return { idle: page.requestIdleCallback?.bind(page), timer: page.setTimeout.bind(page) };
}
const ownSchedulers = schedulersOf(window);

/**
 * Resolves once every task already queued in `page` has run. An idle period starts only when the task queues
 * are empty, so it comes after the task that dispatches `unhandledrejection` (which a `setTimeout(0)` may
 * not). WebKit has no idle callbacks, but runs its tasks in the order they were queued: a timer set from a
 * timer comes after every task queued before the first one fired.
 */
export function afterPendingTasks(page: Window = window): Promise<void> {
  const { idle, timer } = page === window ? ownSchedulers : schedulersOf(page);
  if (idle) return new Promise((resolve) => idle(() => resolve()));
  return new Promise((resolve) => timer(() => timer(resolve, 0), 0));
}

/**
 * Records every value the `value` attribute of a hidden input under `root` holds from now on. Hidden inputs
 * reflect `.value` to the attribute, so this sees every write: each change reports the value it replaced,
 * and `values()` adds the values held now.
 */
export function watchHiddenValues(root: Element): { values(): string[]; stop(): void } {
  const seen: string[] = [];
  const record = (records: MutationRecord[]) => {
    for (const { type, target, oldValue } of records) {
      if (type === 'attributes' && isHiddenInput(target) && oldValue !== null) seen.push(oldValue);
    }
  };
  const observer = new MutationObserver(record);
  observer.observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['value'],
    attributeOldValue: true,
  });
  return {
    values() {
      record(observer.takeRecords());
      const now = [...root.querySelectorAll('input')]
        .filter(isHiddenInput)
        .map((input) => input.getAttribute('value') ?? '');
      return [...seen, ...now];
    },
    stop() {
      observer.disconnect();
    },
  };
}

function isHiddenInput(node: Node): node is HTMLInputElement {
  return node instanceof HTMLInputElement && node.type === 'hidden';
}
