/**
 * `import type {} from 'wepay-risk-token/react'` declares `<wepay-risk-token>` in React 19's JSX: its
 * attributes, `ref` to the element, and the `onwepay-risk-token-*` listener props React 19 binds to the
 * element's events. Type-only.
 * @module
 */

import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { WePayRiskTokenElement } from '../wepay-risk-token.js';
import type { WePayRiskTokenAttributes, WePayRiskTokenListeners } from './attributes.js';

/** The props of `<wepay-risk-token>` in React. */
export type WePayRiskTokenProps = Omit<
  DetailedHTMLProps<HTMLAttributes<WePayRiskTokenElement>, WePayRiskTokenElement>,
  keyof WePayRiskTokenAttributes
> &
  WePayRiskTokenAttributes &
  WePayRiskTokenListeners<'on'>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX is a namespace
  namespace JSX {
    interface IntrinsicElements {
      'wepay-risk-token': WePayRiskTokenProps;
    }
  }
}
