/**
 * `node[key]` as the node's interface defines it, a method bound to the node. A document's and a form's own
 * members can be shadowed by names in the page's markup (`<img name="head">` makes `document.head` that image,
 * `<input name="setAttribute">` hides a form's method): this reads past them, from the node's prototype.
 */
export function native<T extends object, K extends keyof T>(node: T, key: K): T[K] {
  const value: unknown = Reflect.get(Object.getPrototypeOf(node) as object, key, node);
  return (typeof value === 'function' ? value.bind(node) : value) as T[K];
}

/**
 * `options` without a prototype. The browser reads an options bag's members through its prototype chain, so a
 * page that polluted `Object.prototype` (`__proto__[passive]=1` in a query-string merge) would add `passive`,
 * `once` or a `signal` that is no `AbortSignal` (which throws) to every listener, and options to an observer, a
 * Trusted Types policy or Lit's property declarations. Every bag the element hands on goes through this, and so
 * do its own records whose members may be missing (a missing member would read the polluted one).
 */
export const own = <T extends object>(options: T): T => Object.setPrototypeOf(options, null) as T;
