/**
 * `import type {} from 'wepay-risk-token/solid'` declares `<wepay-risk-token>` in Solid's JSX: its
 * attributes, `ref` to the element, and `on:wepay-risk-token-*` listeners for the element's events.
 * Type-only.
 * @module
 */

import type { JSX } from 'solid-js';
import type { WePayRiskTokenElement } from '../wepay-risk-token.js';
import type { WePayRiskTokenAttributes, WePayRiskTokenListeners } from './attributes.js';

/** The props of `<wepay-risk-token>` in Solid. */
export type WePayRiskTokenProps = Omit<JSX.HTMLAttributes<WePayRiskTokenElement>, keyof WePayRiskTokenAttributes> &
  WePayRiskTokenAttributes &
  WePayRiskTokenListeners<'on:'>;

declare module 'solid-js' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Solid's JSX is a namespace
  namespace JSX {
    interface IntrinsicElements {
      'wepay-risk-token': WePayRiskTokenProps;
    }
  }
}
