import { native } from './dom.js';

/**
 * What a submit's submitter decided at the click: where it sends the form instead (`formaction`, `formmethod`,
 * `formenctype`, `formtarget`) and what it adds (`name=value`, an image button's click coordinates). A held
 * submit is sent again with exactly this, whatever happened to the submitter meanwhile (a design system's
 * temporary button that is gone, a Pay button disabled against double charges, a form re-rendered).
 *
 * Attributes are read through `Element.prototype`, since a form's own properties can be shadowed by its
 * fields (`<input name="action">` makes `form.action` that input).
 */
export interface Submission {
  submitter: HTMLElement | null;
  /**
   * The submitter's own `formaction`, `formmethod`, `formenctype` and `formtarget`; `null` where it has none. The
   * form's own attributes are left to the browser, which reads them as the submit leaves: after the page's
   * `submit` listeners, which may change them.
   */
  action: string | null;
  method: string | null;
  enctype: string | null;
  target: string | null;
  /** The submitter's `formnovalidate`: a submit that is not the payment (an "Apply coupon" button). */
  noValidate: boolean;
  /** The submitter's element name (`button` or `input`) and its `name`, `value` and `dirname` attributes. */
  kind: string;
  name: string | null;
  value: string | null;
  /** An `<input type=submit>` with `dirname` sends its direction too. */
  dirname: string | null;
  /**
   * Where an image button was clicked, for a stand-in: `(0, 0)` from the keyboard, and the click's offset as
   * Chromium and WebKit measure it (Firefox measures from inside the image's padding).
   */
  coordinates: [number, number] | null;
  /** How many of the form's controls came before the submitter: where its fields go if it is gone. */
  place: number;
}

/** The attributes that decide where a submit goes, each of which a submitter may override (`formaction`…). */
const ROUTE = ['action', 'method', 'enctype', 'target'] as const;

const attribute = (element: Element, name: string) => Element.prototype.getAttribute.call(element, name);
const controlsOf = (form: HTMLFormElement): HTMLCollectionOf<Element> =>
  Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, 'elements')!.get!.call(form);

const isImageButton = (element: Element | null): element is HTMLInputElement =>
  element?.localName === 'input' && (element as HTMLInputElement).type === 'image';

/** The image buttons' last click positions, relative to the image. */
const imageClicks = new WeakMap<Element, [number, number]>();

/** Notes where an image button was clicked (a click listener in the capture phase calls this). */
export function noteImageClick(event: Event): void {
  const target = event.target as Element;
  if (isImageButton(target)) {
    const { offsetX, offsetY, detail } = event as MouseEvent;
    imageClicks.set(target, detail === 0 ? [0, 0] : [Math.trunc(offsetX), Math.trunc(offsetY)]);
  }
}

export function captureSubmission(form: HTMLFormElement, submitter: HTMLElement | null): Submission {
  const own = (name: string) => submitter && attribute(submitter, `form${name}`);
  return {
    submitter,
    action: own('action'),
    method: own('method'),
    enctype: own('enctype'),
    target: own('target'),
    noValidate: !!submitter?.hasAttribute('formnovalidate'),
    kind: submitter?.localName ?? 'button',
    name: submitter && attribute(submitter, 'name'),
    value: submitter && attribute(submitter, 'value'),
    dirname: submitter && attribute(submitter, 'dirname'),
    coordinates: isImageButton(submitter) ? (imageClicks.get(submitter) ?? [0, 0]) : null,
    place: submitter
      ? [...controlsOf(form)].filter(
          (control) => control.compareDocumentPosition(submitter) & Node.DOCUMENT_POSITION_FOLLOWING,
        ).length
      : 0,
  };
}

/** The method the submission uses, as the browser maps the attribute: a keyword in any case, not trimmed. */
export const methodOf = (form: HTMLFormElement, { method }: Submission) =>
  (method ?? attribute(form, 'method'))?.toLowerCase() ?? 'get';

/**
 * Whether the submission opens a new window or tab: sent later, outside the click, a browser would block it. The
 * browser does not trim a target: `" _self"` names a window.
 */
export function opensWindow(form: HTMLFormElement, { target }: Submission): boolean {
  const document = native(form, 'ownerDocument');
  const name =
    target ??
    attribute(form, 'target') ??
    native(document, 'querySelector')('base[target]')?.getAttribute('target') ??
    '';
  if (['', '_self', '_parent', '_top'].includes(name.toLowerCase())) return false;
  const frames = native(document, 'querySelectorAll')('iframe, frame') as NodeListOf<HTMLIFrameElement>;
  return ![...frames].some((frame) => frame.name === name);
}

/** What two submissions must share to be sent the same way. */
const WAY = [...ROUTE, 'noValidate', 'kind', 'name', 'value', 'dirname'] as const;

const sameWay = (a: Submission, b: Submission) => WAY.every((key) => a[key] === b[key]);

/**
 * Whether `submitter` can still send `submission` itself: in the form, enabled, unchanged. An image button then
 * sends the point the browser kept from the click, measured its own way.
 */
function canStillSend(
  form: HTMLFormElement,
  submission: Submission,
): submission is Submission & { submitter: HTMLButtonElement } {
  const submitter = submission.submitter as HTMLButtonElement | null;
  if (!submitter || submitter.form !== form || submitter.matches(':disabled')) return false;
  if (!['submit', 'image'].includes(submitter.type)) return false;
  return sameWay(captureSubmission(form, submitter), submission);
}

/**
 * Submits `form` again the way `submission` describes: through its own submitter when that still can, else
 * through a hidden stand-in button (and coordinate fields) carrying what the submitter carried, in its place.
 */
export function resubmit(form: HTMLFormElement, submission: Submission): void {
  const requestSubmit = HTMLFormElement.prototype.requestSubmit;
  if (canStillSend(form, submission)) return requestSubmit.call(form, submission.submitter);
  const document = native(form, 'ownerDocument');
  const createElement = native(document, 'createElement');
  const { kind, name, coordinates } = submission;
  const button = createElement(coordinates ? 'button' : kind) as HTMLButtonElement;
  const added: HTMLElement[] = [button];
  button.type = 'submit';
  button.hidden = true;
  // The click already passed the form's validation.
  button.formNoValidate = true;
  for (const name of ROUTE) {
    const value = submission[name];
    if (value !== null) button.setAttribute(`form${name}`, value);
  }
  if (coordinates) {
    ['x', 'y'].forEach((axis, index) => {
      const field = createElement('input');
      field.type = 'hidden';
      field.name = name ? `${name}.${axis}` : axis;
      field.value = String(coordinates[index]);
      added.push(field);
    });
  } else {
    for (const carried of ['name', 'value', 'dirname'] as const) {
      const value = submission[carried];
      if (value !== null) button.setAttribute(carried, value);
    }
  }
  // Where the submitter was at the click (a copy re-rendered there, or the control that followed it), so the
  // fields go in the order the click would have sent them. `item()`: past the end, `[index]` reads a polluted
  // `Object.prototype[index]`.
  const submitter = submission.submitter;
  const contains = native(form, 'contains');
  const place = submitter && contains(submitter) ? submitter : controlsOf(form).item(submission.place);
  if (place && contains(place)) place.before(...added);
  else native(form, 'append')(...added);
  try {
    requestSubmit.call(form, button);
  } finally {
    for (const element of added) element.remove();
  }
}
