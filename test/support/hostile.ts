/** Helpers for the fault and scale tests: waiting out pending tasks, and watching what reaches the hidden input. */

const requestIdle = window.requestIdleCallback.bind(window);

/**
 * Resolves once every task already queued has run. An idle period starts only when the task queues are
 * empty, so it comes after the task that dispatches `unhandledrejection` (which a `setTimeout(0)` may not).
 */
export function afterPendingTasks(): Promise<void> {
  return new Promise((resolve) => requestIdle(() => resolve()));
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
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'], attributeOldValue: true });
  return {
    values() {
      record(observer.takeRecords());
      const now = [...root.querySelectorAll('input')].filter(isHiddenInput).map((input) => input.getAttribute('value') ?? '');
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
