/**
 * `import type {} from 'wepay-risk-token/vue'` declares `<wepay-risk-token>` among Vue's
 * `GlobalComponents`, so that templates checked with `vue-tsc` (`strictTemplates`) know its attributes and
 * the payloads of `@wepay-risk-token-ready`, `-error` and `-expired`. Type-only. Vue must still be told at
 * run time that it is a custom element (`compilerOptions.isCustomElement`).
 * @module
 */

import type { HTMLAttributes, VNodeProps } from 'vue';
import type { WePayRiskTokenElement } from '../wepay-risk-token.js';
import type { WePayRiskTokenAttributes, WePayRiskTokenEvents, WePayRiskTokenMilliseconds } from './attributes.js';

/** The props of `<wepay-risk-token>` in Vue templates; Vue accepts `submit-wait` and `submitWait` alike. */
export interface WePayRiskTokenProps extends Omit<WePayRiskTokenAttributes, 'submit-wait'> {
  submitWait?: WePayRiskTokenMilliseconds;
  onWepayRiskTokenReady?: (event: WePayRiskTokenEvents['wepay-risk-token-ready']) => void;
  onWepayRiskTokenError?: (event: WePayRiskTokenEvents['wepay-risk-token-error']) => void;
  onWepayRiskTokenExpired?: (event: WePayRiskTokenEvents['wepay-risk-token-expired']) => void;
}

/**
 * What Vue's type checker sees for the tag: its own props beside the global HTML attributes, `ref` and
 * `key`; and the element itself as what a template ref holds.
 */
export type WePayRiskTokenComponent = new () => WePayRiskTokenElement & {
  $props: WePayRiskTokenProps & Omit<HTMLAttributes, keyof WePayRiskTokenProps> & VNodeProps;
};

declare module 'vue' {
  interface GlobalComponents {
    'wepay-risk-token': WePayRiskTokenComponent;
  }
}
