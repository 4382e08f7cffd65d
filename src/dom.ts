/**
 * `node[key]` as the node's interface defines it, a method bound to the node. A document's and a form's own
 * members can be shadowed by names in the page's markup (`<img name="head">` makes `document.head` that image,
 * `<input name="setAttribute">` hides a form's method): this reads past them, from the node's prototype.
 */
export function native<T extends object, K extends keyof T>(node: T, key: K): T[K] {
  const value: unknown = Reflect.get(Object.getPrototypeOf(node) as object, key, node);
  return (typeof value === 'function' ? value.bind(node) : value) as T[K];
}
