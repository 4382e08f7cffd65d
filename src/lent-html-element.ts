/**
 * Lit's browser build runs `class ReactiveElement extends HTMLElement` as it is imported, so where a resolver picks
 * that build without a DOM (`node --conditions=browser`, Vite SSR set to it, workerd, a bundle run in Node)
 * importing the package would throw. `define.ts` imports this module before the element's class (and so Lit), and
 * calls `returnHTMLElement()` once they are evaluated: in between, a runtime without `HTMLElement` has a bare class
 * under that name. Lit's Node build sets up its own `customElements` shim before it reads `HTMLElement`; it is
 * lent nothing, so it keeps its own `HTMLElement` shim.
 */
const globals = globalThis as Record<string, unknown>;
const lending = !('HTMLElement' in globals);
class BareHTMLElement {}

/**
 * Lit also reads globals as it is imported: `reactiveElementVersions.push(…)`, `reactiveElementPolyfillSupport?.(…)`,
 * `litPropertyMetadata.get(…)`, and its development build (which a bundler's `development` condition may pick
 * beside this production build) `litIssuedWarnings.has(…)`. Where the page set none, markup
 * (`<img name="reactiveElementVersions">`, through the window's named properties) or a polluted `Object.prototype`
 * answers instead, and Lit's module throws: the element is never defined. Each gets an own `undefined` first,
 * which Lit then sets as it would have.
 */
for (const name of [
  'reactiveElementVersions',
  'reactiveElementPolyfillSupport',
  'reactiveElementPolyfillSupportDevMode',
  'litPropertyMetadata',
  'litIssuedWarnings',
]) {
  if (!Object.hasOwn(globals, name)) globals[name] = undefined;
}

if (lending) {
  Object.defineProperty(globals, 'HTMLElement', {
    configurable: true,
    get: () => (globals.customElements ? undefined : BareHTMLElement),
  });
}

/** Takes the lent `HTMLElement` back, so that nothing after the import takes the runtime for a browser. */
export function returnHTMLElement(): void {
  if (lending) delete globals.HTMLElement;
}
