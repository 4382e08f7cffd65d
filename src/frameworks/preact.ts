/**
 * `import type {} from 'wepay-risk-token/preact'` declares `<wepay-risk-token>` in Preact's JSX: its
 * attributes, `ref` to the element, and the `onwepay-risk-token-*` listener props Preact binds to the
 * element's events. Type-only.
 * @module
 */

import type { HTMLAttributes } from 'preact';
import type { WePayRiskTokenElement } from '../wepay-risk-token.js';
import type { WePayRiskTokenAttributes, WePayRiskTokenListeners } from './attributes.js';

/** The props of `<wepay-risk-token>` in Preact. */
export type WePayRiskTokenProps = Omit<HTMLAttributes<WePayRiskTokenElement>, keyof WePayRiskTokenAttributes> &
  WePayRiskTokenAttributes &
  WePayRiskTokenListeners<'on'>;

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Preact's JSX is a namespace
  namespace JSX {
    interface IntrinsicElements {
      'wepay-risk-token': WePayRiskTokenProps;
    }
  }
}
