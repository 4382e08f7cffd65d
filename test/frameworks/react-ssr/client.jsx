import { hydrateRoot } from 'react-dom/client';
import { CHECKOUTS } from './checkout.jsx';

// The package is imported (and the element defined, so the server's markup upgraded) before React hydrates,
// as in Next.js, where a client component's module runs before React hydrates what it rendered.
globalThis.readyTokens = [];
globalThis.hydrationErrors = [];
const Checkout = CHECKOUTS[new URLSearchParams(location.search).get('checkout')];
hydrateRoot(document.getElementById('root'), <Checkout />, {
  onRecoverableError: (error) => globalThis.hydrationErrors.push(String(error)),
});
