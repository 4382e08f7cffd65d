import { renderToString } from 'react-dom/server';
import { CHECKOUTS } from './checkout.jsx';

/** The checkout's markup as a server renders it (the package imported in Node, without a DOM). */
export function render(checkout) {
  const Checkout = CHECKOUTS[checkout];
  return renderToString(<Checkout />);
}
