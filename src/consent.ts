import { pageOption } from './script-origin.js';
import { readChoice } from './settings.js';

/**
 * Whether the shopper allowed device fingerprinting: `granted`, or `pending` / `denied`, under which nothing
 * reaches WePay's hosts (no script, no profiling, no generation).
 */
export type WePayRiskTokenConsent = 'granted' | 'pending' | 'denied';

/** A value that is not one of these reads as `pending` (the first): a typo must not grant. */
const CONSENTS: readonly WePayRiskTokenConsent[] = ['pending', 'granted', 'denied'];

/**
 * The element's consent: its own setting, else the page's `window.WePayRiskToken.consent` (an own data
 * property, read at each use), else `granted`, today's behaviour for pages that ask no consent.
 */
export function readConsent(element: Element, own: unknown): WePayRiskTokenConsent {
  const value = own ?? pageOption('consent');
  return value === null || value === undefined ? 'granted' : readChoice(element, 'consent', value, CONSENTS);
}
