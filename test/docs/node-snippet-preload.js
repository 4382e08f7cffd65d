/**
 * Loaded with `node --import` before a documentation snippet that runs in Node (snippets.test.ts). It puts
 * the snippet where the test can reach it and keeps it off the network:
 *
 * - A server the snippet starts listens on 127.0.0.1 and a free port, whatever port the snippet names (its
 *   `3000` may be taken on a shared machine); the port is sent to the test as `{ listening: port }`.
 * - `fetch` to WePay's API (`*.wepayapi.com`) is answered by a stand-in, as WePay answers
 *   `/credit_card/create`, and each call is sent to the test as `{ wepayCall: { method, url, headers, body } }`.
 *   Requests to this machine go out as they are; any other request fails, as there is no network here.
 */
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const callback = args.filter((arg) => typeof arg === 'function');
  this.once('listening', () => process.send?.({ listening: this.address().port }));
  return listen.call(this, { port: 0, host: '127.0.0.1' }, ...callback);
};

const WEPAY_API = /^(?:[\w-]+\.)*wepayapi\.com$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const realFetch = globalThis.fetch;

globalThis.fetch = async function fetchWithoutNetwork(input, init) {
  const request = new Request(input, init);
  const { hostname } = new URL(request.url);
  if (LOOPBACK.has(hostname)) return realFetch(request);
  if (!WEPAY_API.test(hostname))
    throw new TypeError(`no network in the snippet test: ${request.method} ${request.url}`);
  process.send?.({
    wepayCall: {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    },
  });
  return Response.json({ credit_card_id: 1234, state: 'new' });
};
