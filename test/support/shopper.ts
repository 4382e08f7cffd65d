import { sendKeys, sendMouse } from '@web/test-runner-commands';

/**
 * Clicks `element` as a shopper does: a real mouse click at its centre, through the browser's input pipeline.
 * A `click()` from test code runs the page's listeners with the test still on the stack, which hides the
 * timing of real input. An element of a framed page is clicked where the frame shows it.
 */
export async function clickAsShopper(element: Element): Promise<void> {
  // The frames around the element, outermost first. `defaultView` from the prototype: a hostile page's markup
  // may name it (`<img name="defaultView">`).
  const frames: Element[] = [];
  const viewOf = (document: Document) => Reflect.get(Document.prototype, 'defaultView', document) as Window | null;
  for (let view = viewOf(element.ownerDocument); view && view !== window; view = view.parent) {
    if (!view.frameElement) break;
    frames.unshift(view.frameElement);
  }
  for (const shown of [...frames, element]) shown.scrollIntoView({ block: 'center' });
  let { x, y } = element.getBoundingClientRect();
  const { width, height } = element.getBoundingClientRect();
  // Each frame's box, past its border, moves the point into the test page.
  for (const frame of frames) {
    const box = frame.getBoundingClientRect();
    x += box.left + frame.clientLeft;
    y += box.top + frame.clientTop;
  }
  await sendMouse({ type: 'click', position: [Math.round(x + width / 2), Math.round(y + height / 2)] });
}

/** Presses Enter in `field` as a shopper does, which submits its form implicitly. */
export async function pressEnterIn(field: HTMLElement): Promise<void> {
  field.focus();
  await sendKeys({ press: 'Enter' });
}
