/**
 * What the engine running the tests has. A test that cannot apply where a feature is missing is skipped there,
 * and its title names the feature; nothing else is skipped.
 */
const FEATURES = {
  /** WebKit (Safari) has none; the element then takes its timer fallback, which its own test covers. */
  requestIdleCallback: () => typeof window.requestIdleCallback === 'function',
  /** Enforced by every engine tested here (Chromium, Firefox ESR 153, WebKitGTK 2.50); older ones ignore the policy. */
  'Trusted Types': () => 'trustedTypes' in window,
} as const;

export type Feature = keyof typeof FEATURES;

export function has(feature: Feature): boolean {
  return FEATURES[feature]();
}

/** `it`, where the engine has `feature`; elsewhere a skipped test whose title says what is missing. */
export function itNeeds(feature: Feature, title: string, test: Mocha.Func): void {
  if (has(feature)) it(title, test);
  else it.skip(`${title} (this engine has no ${feature})`, test);
}
