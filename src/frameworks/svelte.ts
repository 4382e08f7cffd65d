/**
 * `import type {} from 'wepay-risk-token/svelte'` declares `<wepay-risk-token>` in Svelte 5's
 * `svelteHTML.IntrinsicElements`, so that `svelte-check` knows its attributes and the events of its
 * `onwepay-risk-token-*` attributes. Type-only.
 * @module
 */

import type { HTMLAttributes } from 'svelte/elements';
import type { WePayRiskTokenElement } from '../wepay-risk-token.js';
import type { WePayRiskTokenAttributes, WePayRiskTokenListeners } from './attributes.js';

/** The attributes of `<wepay-risk-token>` in Svelte. */
export type WePayRiskTokenProps = Omit<HTMLAttributes<WePayRiskTokenElement>, keyof WePayRiskTokenAttributes> &
  WePayRiskTokenAttributes &
  WePayRiskTokenListeners<'on'>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Svelte's element typings are a global namespace
  namespace svelteHTML {
    interface IntrinsicElements {
      'wepay-risk-token': WePayRiskTokenProps;
    }
  }
}
