// A stand-in for your app: one checkout page with <wepay-risk-token>, and a /checkout that thanks you.
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const element = createRequire(import.meta.url).resolve('wepay-risk-token/wepay-risk-token.min.js');
const page = `<!doctype html>
<title>Checkout</title>
<script type="module" src="/wepay-risk-token.min.js"></script>
<form method="post" action="/checkout">
  <wepay-risk-token></wepay-risk-token>
  <button>Pay</button>
</form>`;

/** Starts the shop on a free port; resolves with its URL and a way to stop it. */
export async function startShop() {
  const server = createServer(async (request, response) => {
    if (request.url === '/wepay-risk-token.min.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await readFile(element));
    } else if (request.url === '/checkout' && request.method === 'POST') {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>Thank you for your order.</p>');
    } else if (request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
