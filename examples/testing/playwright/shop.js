// A stand-in for your app: one checkout page with <wepay-risk-token>, and a /checkout that thanks you.
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

createServer(async (request, response) => {
  if (request.url === '/wepay-risk-token.min.js') {
    response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await readFile(element));
  } else if (request.url === '/checkout' && request.method === 'POST') {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>Thank you for your order.</p>');
  } else {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
  }
}).listen(Number(process.env.PORT), '127.0.0.1');
