import { allowedScriptUrl } from './script-origin.js';
import { native } from './dom.js';

/**
 * WePay's Risk.js, and the host its device profiling loads from (see docs/performance.md, "Connection hints").
 * Another Risk.js, even on another WePay host, may profile elsewhere: it gets no profiling hint.
 */
const WEPAY_SCRIPT_ORIGIN = 'https://static.wepay.com';
const WEPAY_PROFILING_ORIGIN = 'https://t.wepay.com';

/**
 * Asks the browser to open a connection to `origin` now, unless the page holds such a hint already (its own or
 * another element's). No `crossorigin`: Risk.js and its profiling script are requested in no-cors mode, which
 * a CORS-mode connection would not serve.
 */
function preconnect(origin: string): void {
  const hints = native(document, 'querySelectorAll')('link[rel~=preconnect]:not([crossorigin])');
  if ([...(hints as NodeListOf<HTMLLinkElement>)].some((hint) => hint.href.startsWith(`${origin}/`))) return;
  const hint = Object.assign(native(document, 'createElement')('link'), { rel: 'preconnect', href: origin });
  native(document, 'head').append(hint);
}

/** The origin of `src` if the element may load Risk.js from it: no hint goes anywhere else. */
function scriptOrigin(src: string): string | undefined {
  try {
    return allowedScriptUrl(src).origin;
  } catch {
    return undefined;
  }
}

/** Warms the connection to Risk.js's host while the trigger waits for its moment (an idle period). */
export function preconnectScript(src: string): void {
  const origin = scriptOrigin(src);
  if (origin) preconnect(origin);
}

/**
 * Warms the connection to WePay's profiling host while Risk.js downloads, so that its set-up is not paid again
 * after generation, when the profiling script is requested (a held submit waits for it).
 */
export function preconnectProfiling(src: string): void {
  if (scriptOrigin(src) === WEPAY_SCRIPT_ORIGIN) preconnect(WEPAY_PROFILING_ORIGIN);
}
