/**
 * Helpers for the fault, CSP and scale tests: waiting out pending tasks, watching what reaches the hidden
 * input, and submitting a form for real without the test page navigating.
 */

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

/**
 * A frame for a form to post into, so the post really goes over the network to the test server's recording
 * endpoint (`/__posts/ID`) while the test page stays put. `landed()` resolves when the next response loaded.
 */
export async function postingFrame(): Promise<{ id: string; action: string; target: string; landed(): Promise<void>; remove(): void }> {
  const id = `post-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const frame = document.createElement('iframe');
  frame.name = id;
  frame.hidden = true;
  const blank = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await blank;
  return {
    id,
    action: `/__posts/${id}`,
    target: id,
    landed: () => new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true })),
    remove: () => frame.remove(),
  };
}
