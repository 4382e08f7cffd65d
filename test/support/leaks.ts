/**
 * Counts the asynchronous resources code creates while recording and still holds: timers that have neither
 * fired nor been cleared, idle callbacks likewise, IntersectionObserver observations not undone, and event
 * listeners not removed (by `removeEventListener`, by firing once, or by the abort of their `{ signal }`).
 *
 * Install it before the code under test runs, `start()` and `stop()` around the work, read `pending()`, and
 * `restore()` the originals. Only what is added while recording counts; removals always count.
 */

/** How many of each were added while recording, to show the work really used them. */
export interface CreatedResources {
  timers: number;
  idleCallbacks: number;
  observations: number;
  listeners: number;
}

export interface PendingResources {
  timers: number;
  idleCallbacks: number;
  observations: number;
  listeners: Array<{ target: string; type: string }>;
}

interface ListenerRecord {
  target: EventTarget;
  type: string;
  listener: EventListenerOrEventListenerObject;
  capture: boolean;
  /** Our own once-listener beside a `once` listener: it runs right after it, when the browser drops both. */
  companion?: () => void;
}

const captures = (options: boolean | EventListenerOptions | undefined) =>
  typeof options === 'boolean' ? options : Boolean(options?.capture);

function describe(target: EventTarget): string {
  if (target instanceof Element) return `<${target.localName}>`;
  return target.constructor?.name ?? String(target);
}

/**
 * The test runner's own commands (`sendKeys`, `sendMouse`) leave a 20 s reply timer behind for each call:
 * those are not the element's.
 */
const setByTestRunner = () => (new Error().stack ?? '').includes('__web-dev-server__web-socket');

export function trackAsyncResources(): {
  start(): void;
  stop(): void;
  pending(): PendingResources;
  created(): CreatedResources;
  restore(): void;
} {
  let recording = false;
  const created: CreatedResources = { timers: 0, idleCallbacks: 0, observations: 0, listeners: 0 };
  const timers = new Set<number>();
  const idleCallbacks = new Set<number>();
  const observations = new Map<IntersectionObserver, Set<Element>>();
  const listeners = new Set<ListenerRecord>();

  /** The browser's timer functions, typed as the DOM has them (Node's typings would widen them). */
  type SetTimeout = (handler: TimerHandler, timeout?: number, ...rest: unknown[]) => number;
  type ClearTimeout = (id?: number) => void;
  const real = {
    setTimeout: window.setTimeout as unknown as SetTimeout,
    clearTimeout: window.clearTimeout as unknown as ClearTimeout,
    requestIdleCallback: window.requestIdleCallback,
    cancelIdleCallback: window.cancelIdleCallback,
    observe: IntersectionObserver.prototype.observe,
    unobserve: IntersectionObserver.prototype.unobserve,
    disconnect: IntersectionObserver.prototype.disconnect,
    addEventListener: EventTarget.prototype.addEventListener,
    removeEventListener: EventTarget.prototype.removeEventListener,
  };

  const setTimeoutTracked: SetTimeout = (handler, timeout, ...rest) => {
    if (!recording || typeof handler !== 'function' || setByTestRunner()) {
      return real.setTimeout.call(window, handler, timeout, ...rest);
    }
    const id = real.setTimeout.call(
      window,
      (...args: unknown[]) => {
        timers.delete(id);
        (handler as (...args: unknown[]) => void)(...args);
      },
      timeout,
      ...rest,
    );
    timers.add(id);
    created.timers += 1;
    return id;
  };
  const clearTimeoutTracked: ClearTimeout = (id) => {
    if (id !== undefined) timers.delete(id);
    real.clearTimeout.call(window, id);
  };
  Object.assign(window, { setTimeout: setTimeoutTracked, clearTimeout: clearTimeoutTracked });

  // WebKit has no idle callbacks: the element uses timers there, and the page must not gain any.
  if (real.requestIdleCallback) {
    window.requestIdleCallback = (callback: IdleRequestCallback, options?: IdleRequestOptions) => {
      if (!recording) return real.requestIdleCallback.call(window, callback, options);
      const id = real.requestIdleCallback.call(
        window,
        (deadline) => {
          idleCallbacks.delete(id);
          callback(deadline);
        },
        options,
      );
      idleCallbacks.add(id);
      created.idleCallbacks += 1;
      return id;
    };
    window.cancelIdleCallback = (id: number) => {
      idleCallbacks.delete(id);
      real.cancelIdleCallback.call(window, id);
    };
  }

  IntersectionObserver.prototype.observe = function (this: IntersectionObserver, target: Element) {
    if (recording) {
      if (!observations.has(this)) observations.set(this, new Set());
      observations.get(this)!.add(target);
      created.observations += 1;
    }
    real.observe.call(this, target);
  };
  IntersectionObserver.prototype.unobserve = function (this: IntersectionObserver, target: Element) {
    observations.get(this)?.delete(target);
    real.unobserve.call(this, target);
  };
  IntersectionObserver.prototype.disconnect = function (this: IntersectionObserver) {
    observations.delete(this);
    real.disconnect.call(this);
  };

  const find = (target: EventTarget, type: string, listener: unknown, capture: boolean) => {
    for (const record of listeners) {
      if (
        record.target === target &&
        record.type === type &&
        record.listener === listener &&
        record.capture === capture
      ) {
        return record;
      }
    }
    return undefined;
  };
  const forget = (record: ListenerRecord) => {
    if (!listeners.delete(record)) return;
    if (record.companion) real.removeEventListener.call(record.target, record.type, record.companion, record.capture);
  };

  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    real.addEventListener.call(this, type, listener, options);
    const capture = captures(options);
    const { once = false, signal = undefined } = typeof options === 'object' ? options : {};
    // Nothing was added for a null listener, an aborted signal, or a listener already there.
    if (!recording || !listener || signal?.aborted || find(this, type, listener, capture)) return;
    const record: ListenerRecord = { target: this, type, listener, capture };
    listeners.add(record);
    created.listeners += 1;
    if (once) {
      record.companion = () => forget(record);
      real.addEventListener.call(this, type, record.companion, { capture, once: true });
    }
    if (signal) real.addEventListener.call(signal, 'abort', () => forget(record), { once: true });
  };
  EventTarget.prototype.removeEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    real.removeEventListener.call(this, type, listener, options);
    const record = find(this, type, listener, captures(options));
    if (record) forget(record);
  };

  return {
    start: () => void (recording = true),
    stop: () => void (recording = false),
    pending: () => ({
      timers: timers.size,
      idleCallbacks: idleCallbacks.size,
      observations: [...observations.values()].reduce((sum, targets) => sum + targets.size, 0),
      listeners: [...listeners].map(({ target, type }) => ({ target: describe(target), type })),
    }),
    created: () => ({ ...created }),
    restore() {
      recording = false;
      Object.assign(window, { setTimeout: real.setTimeout, clearTimeout: real.clearTimeout });
      if (real.requestIdleCallback) {
        Object.assign(window, {
          requestIdleCallback: real.requestIdleCallback,
          cancelIdleCallback: real.cancelIdleCallback,
        });
      }
      Object.assign(IntersectionObserver.prototype, {
        observe: real.observe,
        unobserve: real.unobserve,
        disconnect: real.disconnect,
      });
      Object.assign(EventTarget.prototype, {
        addEventListener: real.addEventListener,
        removeEventListener: real.removeEventListener,
      });
    },
  };
}
