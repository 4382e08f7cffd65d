import { DEV } from './dev.js';
import { WePayRiskTokenError } from './errors.js';

/**
 * Which URLs the element may load a script from. Markup sets `src`, and markup can be injected: a `src`
 * alone must not get a script to run under the page's nonce, `'strict-dynamic'` or Trusted Types policy. So
 * the element loads only from WePay's origins (`https://*.wepay.com`) and loopback hosts (development and
 * tests), and from origins that the page's own script allows:
 *
 * ```js
 * window.WePayRiskToken = { scriptOrigins: ['https://cdn.example.com'] };
 * ```
 *
 * That global is read at each load, not at import, so it may be set before or after the element's module
 * loads. Markup cannot forge it: DOM clobbering (`<form id="WePayRiskToken">`, `<a id name>`) yields a named
 * property on the window's prototype chain holding elements, never an own property holding a plain object
 * and a real array of strings, which is all that is accepted.
 */
export interface WePayRiskTokenPageOptions {
  /** Exact origins, e.g. `https://cdn.example.com`: `https:` only, no path, no wildcard. */
  scriptOrigins?: readonly string[];
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
const isWePay = (url: URL) => url.protocol === 'https:' && url.hostname.endsWith('.wepay.com');

/** `text` (a URL, or what should have been one) with any `user:password@` replaced by `***@`. */
export function withoutCredentials(text: string): string {
  return text.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, '$1***@');
}

/** The page's `window.WePayRiskToken`, if the page's script set it (an own property: markup cannot make one). */
function pageOptions(): unknown {
  try {
    return Object.hasOwn(globalThis, PAGE_OPTIONS) ? (globalThis as Record<string, unknown>)[PAGE_OPTIONS] : undefined;
  } catch {
    return undefined;
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
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
  const bare = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  return secure && bare ? url.origin : undefined;
}

/** The origins the page allowed, and what in its options was ignored (for the development build's message). */
function pageAllowedOrigins(): { origins: Set<string>; ignored: string[] } {
  const options = pageOptions();
  if (options === undefined) return { origins: new Set(), ignored: [] };
  let list: unknown;
  try {
    list = isPlainObject(options) ? options.scriptOrigins : undefined;
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) {
    return {
      origins: new Set(),
      ignored: DEV ? ['window.WePayRiskToken is not a plain object with a scriptOrigins array'] : [],
    };
  }
  const origins = new Set<string>();
  const ignored: string[] = [];
  for (const entry of list as unknown[]) {
    const origin = exactOrigin(entry);
    if (origin) origins.add(origin);
    else if (DEV) {
      ignored.push(
        typeof entry === 'string' ? `"${withoutCredentials(entry)}" is not an https origin` : `${typeof entry} entry`,
      );
    }
  }
  return { origins, ignored };
}

/**
 * `src` resolved against the page, if the element may load a script from it; else a `load-failed` error that
 * says how to allow it. Called before anything is requested and inside the Trusted Types policy.
 */
export function allowedScriptUrl(src: string): URL {
  let url: URL;
  try {
    url = new URL(src, document.baseURI);
  } catch (cause) {
    throw new WePayRiskTokenError(
      'load-failed',
      DEV ? `The Risk.js src "${withoutCredentials(src)}" is not a URL.` : undefined,
      { cause },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WePayRiskTokenError(
      'load-failed',
      DEV ? `The Risk.js src must be an https: URL, not ${url.protocol}.` : undefined,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url)) {
    throw new WePayRiskTokenError(
      'load-failed',
      DEV ? `Risk.js from ${url.origin} was refused: http: only on loopback hosts.` : undefined,
    );
  }
  if (isWePay(url) || isLoopback(url)) return url;
  const { origins, ignored } = pageAllowedOrigins();
  if (origins.has(url.origin)) return url;
  throw new WePayRiskTokenError(
    'load-failed',
    DEV
      ? `Risk.js from ${url.origin} was refused: a page script may allow it with ` +
          `window.WePayRiskToken = { scriptOrigins: ['${url.origin}'] }.` +
          (ignored.length > 0 ? ` Ignored: ${ignored.join('; ')}.` : '')
      : undefined,
  );
}
