import { WePayRiskTokenError, type WePayRiskTokenErrorReason } from './errors.js';
import { msSince, type WePayRiskTokenSubmitDetail, type WePayRiskTokenSubmitOutcome } from './events.js';
import { captureSubmission, methodOf, noteImageClick, opensWindow, resubmit, type Submission } from './submission.js';
import { onAbort, timeoutUntil } from './abort.js';
import { native, own } from './dom.js';

/** One element's token field, as the guard of the form that posts it sees it. */
export interface GuardedField {
  /** The form that posts this field, whether or not it is disabled. */
  form(): HTMLFormElement | null;
  /** Whether `form` will post this field's fresh token; with `profiled`, only once its device profiling has run. */
  posts(form: HTMLFormElement, profiled: boolean): boolean;
  /** Whether `<fieldset disabled>` (or the page) disabled the field, so it posts nothing. */
  disabled(): boolean;
  /** Whether the shopper allowed device fingerprinting: a field without consent is never waited for. */
  consented(): boolean;
  required(): boolean;
  /** Milliseconds a submit may be held for this field's token; 0 holds none. */
  submitWait(): number;
  /** Gets the token now and resolves once it is in and profiled; rejects once the element reported why not. */
  whenPostable(): Promise<unknown>;
  report(error: WePayRiskTokenError): void;
  /** Tells the page what became of a submit held for this field's token. */
  reportSubmit(detail: WePayRiskTokenSubmitDetail): void;
}

interface HeldSubmit {
  form: HTMLFormElement;
  submission: Submission;
  /** The fields the submit waits for, and those whose token could not be had. */
  fields: GuardedField[];
  failed: Set<GuardedField>;
  /** Ends the wait's timer and listeners. */
  done: AbortController;
  /** When the submit was held (`performance.now()`). */
  heldAt: number;
}

/** The connected fields of every element, and how many of them listen at each scope (a window or shadow root). */
const fields = new Set<GuardedField>();
const listeners = new Map<EventTarget, { count: number; stop: AbortController }>();
/** The held submits, one a form at most, and the forms whose held submit is being sent again (it passes). */
const holds = new Set<HeldSubmit>();
const releasing = new WeakSet<HTMLFormElement>();

/**
 * Starts guarding the submits of `field`'s form, at `scope`: the top of the form's tree, whose capture phase
 * sees a submit before any of the form's own listeners, so a held submit reaches none of them and the one
 * sent later reaches each once.
 */
export function guard(field: GuardedField, scope: EventTarget): void {
  fields.add(field);
  const listening = listeners.get(scope) ?? { count: 0, stop: new AbortController() };
  if (listening.count++ === 0) {
    const options = own({ capture: true, signal: listening.stop.signal });
    scope.addEventListener('submit', onSubmit, options);
    scope.addEventListener('click', noteImageClick, options);
    listeners.set(scope, listening);
  }
}

/**
 * `field` left the page. Frameworks move elements (a disconnect and a connect in one step), so a held submit
 * decides after the move whether it still waits for the field.
 */
export function unguard(field: GuardedField, scope: EventTarget): void {
  fields.delete(field);
  const listening = listeners.get(scope);
  if (listening && --listening.count === 0) {
    listening.stop.abort();
    listeners.delete(scope);
  }
  reconsider(field);
}

/**
 * `field` may post to another form now (its `form` changed): a held submit it was part of decides again once the
 * element has updated, as if the field had left it.
 */
export function reconsider(field: GuardedField): void {
  queueMicrotask(() => {
    for (const held of holds) if (held.fields.includes(field)) decide(held, false);
  });
}

function stop(event: Event): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}

function onSubmit(event: Event): void {
  const form = event.target as HTMLFormElement;
  if (releasing.has(form)) return;
  if ([...holds].some((held) => held.form === form)) {
    // The shopper pressed again while the first submit is held: that one will go.
    return stop(event);
  }
  // Only a submit the browser performs is held: sent again later, a script's own submit event would become a post.
  if (!event.isTrusted || event.defaultPrevented) return;
  const members = [...fields].filter((field) => field.form() === form);
  const submission = captureSubmission(form, (event as SubmitEvent).submitter ?? null);
  // A dialog submit only closes a <dialog>: nothing is posted.
  if (members.length === 0 || methodOf(form, submission) === 'dialog') return;
  const missing = members.filter((field) => !field.posts(form, true));
  const blocking = submission.noValidate ? [] : missing.filter((field) => field.required());
  // A disabled field posts nothing, and one without consent asks WePay for nothing: there is nothing to wait
  // for, and a required one stops the submit now.
  const waitable = (field: GuardedField) => !field.disabled() && field.consented();
  const refused = blocking.filter((field) => !waitable(field));
  const waiting = missing.filter(waitable);
  const wait = Math.max(0, ...waiting.map((field) => field.submitWait()));
  // Not held: sent later, outside the click, a new window would be blocked as a pop-up.
  const unheld = wait === 0 || opensWindow(form, submission);
  if (unheld) refused.push(...blocking.filter((field) => waitable(field) && !field.posts(form, false)));
  if (refused.length > 0) {
    stop(event);
    for (const field of refused) {
      if (waitable(field)) field.whenPostable().catch(() => undefined);
      field.report(new WePayRiskTokenError(refusalReason(field)));
    }
    return;
  }
  if (unheld) return;
  stop(event);
  hold(form, submission, waiting, wait);
}

function refusalReason(field: GuardedField): WePayRiskTokenErrorReason {
  if (field.disabled()) return 'disabled';
  return field.consented() ? 'timeout' : 'no-consent';
}

function hold(form: HTMLFormElement, submission: Submission, waiting: GuardedField[], wait: number): void {
  const held: HeldSubmit = {
    form,
    submission,
    fields: waiting,
    failed: new Set(),
    done: new AbortController(),
    heldAt: performance.now(),
  };
  holds.add(held);
  const { signal } = held.done;
  const busy = () => {
    if (native(form, 'getAttribute')('aria-busy') !== 'true') native(form, 'setAttribute')('aria-busy', 'true');
  };
  busy();
  // A morph of the form (htmx, Turbo, idiomorph) strips what the server's HTML lacks: it stays busy while held.
  const observer = new MutationObserver(busy);
  observer.observe(form, own({ attributeFilter: ['aria-busy'] }));
  onAbort(signal, () => observer.disconnect());
  timeoutUntil(signal, () => decide(held, true), wait);
  // A submit the shopper walked away from (Back, or the page kept in the back/forward cache) is not sent later.
  native(native(form, 'ownerDocument'), 'defaultView')?.addEventListener(
    'pagehide',
    () => end(held, () => 'dropped'),
    own({ signal }),
  );
  for (const field of waiting) watch(held, field);
}

/** Decides again once `field` posts its token, or has failed to get one. */
function watch(held: HeldSubmit, field: GuardedField): void {
  field.whenPostable().then(
    () => decide(held, false),
    () => {
      held.failed.add(field);
      decide(held, false);
    },
  );
}

type Outcome = 'posts' | 'waiting' | 'failed' | 'removed' | 'disabled' | 'timeout';

function outcome(held: HeldSubmit, field: GuardedField, final: boolean): Outcome {
  const { form } = held;
  if (field.form() !== form) return 'removed';
  if (field.disabled()) return 'disabled';
  if (held.failed.has(field)) return 'failed';
  // Once the wait ran out, a token whose profiling still runs goes as it is.
  if (field.posts(form, !final)) return 'posts';
  return final ? 'timeout' : 'waiting';
}

/**
 * Sends the held submit once every field it waits for posts its token or can no longer, or when the wait ran
 * out (`final`). A `required` field that the form will not post stops it, unless the submitter has
 * `formnovalidate`: a submit that is not the payment (the HTML spec's Save button) still goes.
 */
function decide(held: HeldSubmit, final: boolean): void {
  if (!holds.has(held)) return;
  // A form out of its document (removed, re-rendered, left by a client-side route) is not sent, as the browser
  // sends none: the submit is dropped, and a form put back later is not sent behind the shopper's back.
  if (!native(held.form, 'isConnected')) return end(held, () => 'dropped');
  // A re-render (`innerHTML`) replaces the form's elements with new ones: the submit waits for those instead.
  const newcomers = [...fields].filter((field) => field.form() === held.form && !held.fields.includes(field));
  if (newcomers.length > 0) {
    held.fields = [...held.fields.filter((field) => field.form() === held.form), ...newcomers];
    for (const field of newcomers) watch(held, field);
  }
  const outcomes = held.fields.map((field) => [field, outcome(held, field, final)] as const);
  const refusal = held.submission.noValidate
    ? undefined
    : outcomes.find(([field, result]) => field.required() && result !== 'posts' && result !== 'waiting');
  if (!refusal && outcomes.some(([, result]) => result === 'waiting')) return;
  const results = new Map(outcomes);
  end(held, (field) => (refusal ? 'dropped' : SUBMIT_OUTCOMES[results.get(field)!]));
  if (refusal) {
    const [field, result] = refusal;
    // A failure was reported by the token flow already.
    if (result !== 'failed') field.report(new WePayRiskTokenError(result as WePayRiskTokenErrorReason));
    return;
  }
  const { form, submission } = held;
  // A later task: while the browser is still firing the held submit, it ignores a new one.
  setTimeout(() => {
    if (!native(form, 'isConnected')) return;
    releasing.add(form);
    try {
      resubmit(form, submission);
    } finally {
      releasing.delete(form);
    }
  });
}

/** What each field's outcome makes of a held submit that is sent (a removed or disabled field posts no token). */
const SUBMIT_OUTCOMES: Record<Outcome, WePayRiskTokenSubmitOutcome> = {
  posts: 'token',
  waiting: 'timeout',
  timeout: 'timeout',
  failed: 'failure',
  removed: 'failure',
  disabled: 'failure',
};

/** Ends the hold, and tells each element it waited for what became of the submit. */
function end(held: HeldSubmit, outcomeOf: (field: GuardedField) => WePayRiskTokenSubmitOutcome): void {
  held.done.abort();
  holds.delete(held);
  native(held.form, 'removeAttribute')('aria-busy');
  const heldFor = msSince(held.heldAt);
  for (const field of held.fields) field.reportSubmit({ held: heldFor, outcome: outcomeOf(field) });
}
