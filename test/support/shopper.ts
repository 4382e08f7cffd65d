import { sendKeys, sendMouse } from '@web/test-runner-commands';

/**
 * Clicks `element` as a shopper does: a real mouse click at its centre, through the browser's input pipeline.
 * A `click()` from test code runs the page's listeners with the test still on the stack, which hides the
 * timing of real input.
 */
export async function clickAsShopper(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'center' });
  const { x, y, width, height } = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(x + width / 2), Math.round(y + height / 2)] });
}

/** Presses Enter in `field` as a shopper does, which submits its form implicitly. */
export async function pressEnterIn(field: HTMLElement): Promise<void> {
  field.focus();
  await sendKeys({ press: 'Enter' });
}
