import { DEV } from './dev.js';
import { WePayRiskTokenError } from './errors.js';
import { native } from './dom.js';

/**
 * Which URLs the element may load a script from. Markup sets `src`, and markup can be injected: a `src`
 * alone must not get a script to run under the page's nonce, `'strict-dynamic'` or Trusted Types policy. So
 * the element loads only from WePay's origins (`https://*.wepay.com`), from loopback hosts when the page's own
 * origin is on one (development and tests; not its `<base>`, which markup may set), and from origins that the
 * page's own script allows:
 *
 * ```js
 * window.WePayRiskToken = { scriptOrigins: ['https://cdn.example.com'] };
 * ```
 *
 * That global is read at each load, not at import, so it may be set before or after the element's module
 * loads. Only own data properties count: `window.WePayRiskToken` itself, its `scriptOrigins`, and each entry
 * of that array. So neither DOM clobbering (`<form id="WePayRiskToken">` and `<a id name>` make named
 * properties on the window's prototype chain, holding elements) nor prototype pollution (a query-string merge
 * that sets `Object.prototype.scriptOrigins`, or `Array.prototype[0]` behind an array with holes) can add an
 * origin, and no getter runs. A page on `https://shop.example` that loads Risk.js from a loopback host lists
 * that origin, `http:` included, like any other.
 */
export interface WePayRiskTokenPageOptions {
  /**
   * Exact origins, e.g. `https://cdn.example.com`: `https:` (or `http:` on a loopback host), no path, no
   * wildcard. A real array, without holes, of own entries.
   */
  scriptOrigins?: readonly string[];
  /**
   * The consent of every element that sets none itself (`granted`, `pending`, `denied`); read at each use. An
   * own data property, like `scriptOrigins`: a polluted `Object.prototype.consent` is not read.
   */
  consent?: 'granted' | 'pending' | 'denied';
}

declare global {
  interface Window {
    WePayRiskToken?: WePayRiskTokenPageOptions;
  }
}

const PAGE_OPTIONS = 'WePayRiskToken';

/** `127.0.0.0/8` as the URL parser writes an IPv4 host (it has already turned `0x7f.1` and friends into this). */
const LOOPBACK_IPV4 = /^127\.\d+\.\d+\.\d+$/;

const isLoopback = ({ hostname }: URL) =>
  hostname === 'localhost' || hostname === '[::1]' || LOOPBACK_IPV4.test(hostname);
/** `https:`, or `http:` on a loopback host. */
const isSecure = (url: URL) => url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
const isWePay = (url: URL) => url.protocol === 'https:' && url.hostname.endsWith('.wepay.com');

/** `text` (a URL, or what should have been one) with any `user:password@` replaced by `***@`. */
export function withoutCredentials(text: string): string {
  return text.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, '$1***@');
}

/**
 * Whether `object[key]` is an own data property: no getter runs. (`Object.hasOwn` on the descriptor too: a
 * getter's has no own `value`, and a polluted `Object.prototype.value` must not stand in for one.)
 */
function isOwnData(object: object, key: PropertyKey): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && Object.hasOwn(descriptor, 'value');
}

/** Whether the page's own origin is a loopback one (not its `<base>`, which markup may set). */
function pageIsOnLoopback(): boolean {
  try {
    return isLoopback(new URL(globalThis.origin));
  } catch {
    // An opaque origin ("null", a sandboxed frame) is on no host.
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** `entry` as an origin if it is exactly one: `https:` (or `http:` on loopback), no path, query, fragment or wildcard. */
function exactOrigin(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry.includes('*')) return undefined;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  const bare = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  return isSecure(url) && bare ? url.origin : undefined;
}

/**
 * The page's `window.WePayRiskToken.scriptOrigins`, if every step to each entry is an own data property; else
 * `undefined`. Each property is checked before it is read: with `Object.prototype` or `Array.prototype`
 * polluted, reading one that is missing (a hole, say) gives the attacker's value.
 */
function pageScriptOrigins(): readonly unknown[] | undefined {
  try {
    const list = pageOption('scriptOrigins');
    if (!Array.isArray(list)) return undefined;
    for (let index = 0; index < list.length; index += 1) if (!isOwnData(list, index)) return undefined;
    return list as unknown[];
  } catch {
    // A proxy's trap threw: nothing is allowed.
    return undefined;
  }
}

/**
 * `window.WePayRiskToken[key]` if both steps are own data properties of a plain object; else `undefined`. A
 * proxy or a getter that throws reads as `undefined` too.
 */
export function pageOption(key: keyof WePayRiskTokenPageOptions): unknown {
  try {
    const global = globalThis as Record<string, unknown>;
    const options = isOwnData(global, PAGE_OPTIONS) ? global[PAGE_OPTIONS] : undefined;
    return isPlainObject(options) && isOwnData(options, key) ? options[key] : undefined;
  } catch {
    return undefined;
  }
}

/** What in the page's options was ignored (the development build's message says it). */
function ignoredPageOptions(): string[] {
  const entries = pageScriptOrigins();
  if (!entries) {
    return Object.hasOwn(globalThis, PAGE_OPTIONS)
      ? ['window.WePayRiskToken is not a plain object with a scriptOrigins array (own data properties, no holes)']
      : [];
  }
  return entries
    .filter((entry) => !exactOrigin(entry))
    .map((entry) =>
      typeof entry === 'string' ? `"${withoutCredentials(entry)}" is not an https origin` : `${typeof entry} entry`,
    );
}

/**
 * `src` resolved against the page, if the element may load a script from it; else a `load-failed` error that
 * says how to allow it. Called before anything is requested and inside the Trusted Types policy.
 */
export function allowedScriptUrl(src: string): URL {
  let url: URL;
  try {
    url = new URL(src, native(document, 'baseURI'));
  } catch (cause) {
    throw new WePayRiskTokenError(
      'load-failed',
      DEV ? `The Risk.js src "${withoutCredentials(src)}" is not a URL.` : undefined,
      { cause },
    );
  }
  if (!isSecure(url)) {
    throw new WePayRiskTokenError(
      'load-failed',
      DEV
        ? url.protocol === 'http:'
          ? `Risk.js from ${url.origin} was refused: http: only on loopback hosts.`
          : `The Risk.js src must be an https: URL, not ${url.protocol}.`
        : undefined,
    );
  }
  if (isWePay(url) || (isLoopback(url) && pageIsOnLoopback())) return url;
  if (pageScriptOrigins()?.some((entry) => exactOrigin(entry) === url.origin)) return url;
  const ignored = DEV ? ignoredPageOptions() : [];
  throw new WePayRiskTokenError(
    'load-failed',
    DEV
      ? `Risk.js from ${url.origin} was refused: a page script may allow it with ` +
          `window.WePayRiskToken = { scriptOrigins: ['${url.origin}'] }.` +
          (ignored.length > 0 ? ` Ignored: ${ignored.join('; ')}.` : '')
      : undefined,
  );
}
