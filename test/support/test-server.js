/**
 * What the browser tests' local server does beyond serving files: it answers Risk.js requests with the
 * stand-in or with faults, records every request and form post, and serves pages with chosen headers.
 *
 * - `GET /risk.js?…` serves `src/testing/risk-stand-in.ts` (its query configures it). Extra parameters:
 *   `status=404` answers that status; `drop=1` drops the connection mid-response; `gate=NAME` holds the
 *   response until `POST /__gates/NAME` opens the gate; `first=404` or `first=empty` answers only the first
 *   request for its `id` with a 404, or with an empty script (an ad blocker's no-op stand-in), and later
 *   ones normally.
 * - `GET …/fp/check.js?…` (an empty script) and `GET …/fp/clear.png?…` (a 1×1 image), under any path: the
 *   device-profiling requests the stand-in makes, answered as WePay's profiling host would. Under
 *   `/__profile-gate/NAME/`, the script is held until the gate opens (a stand-in with `profile` set there); under
 *   `/__profile-failed/`, it is answered 404, as when an ad blocker or a network failure stops it.
 * - `GET /__requests?match=TEXT`: how many requests so far had TEXT in their path and query (every TEXT,
 *   when repeated), e.g. `match=/fp/check.js&match=session_id%3DID` for "was session ID profiled".
 * - `POST /__posts/ID` (any form post): recorded; `GET /__posts/ID`: the recorded bodies as JSON.
 * - `/__sent/ID/PATH?QUERY`, any method (a form's GET too): recorded under ID with its `method`, `path` (`/PATH`)
 *   and `query` beside `body` and `contentType`, read through `GET /__posts/ID`.
 * - `GET /__page?csp=POLICY&html=HTML`: HTML served with that Content-Security-Policy header; with
 *   `bodyGate=NAME`, the part before `<body` is sent at once and the rest once the gate opens.
 * - `GET /__held?gate=NAME`: an empty GIF, sent once the gate opens (holds a page's `load` event).
 * - `other-origins-worker.js` may control `/__page`, outside its own folder.
 */
const STAND_IN = '/src/testing/risk-stand-in.ts';
const OTHER_ORIGINS_WORKER = '/test/support/other-origins-worker.js';
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII=',
  'base64',
);

export function testServerMiddleware() {
  const requests = [];
  const posts = new Map();
  const gates = new Map();
  /** The `id`s of Risk.js requests answered so far (for `first=`). */
  const answeredIds = new Set();

  function gate(name) {
    if (!gates.has(name)) {
      let open;
      const opened = new Promise((resolve) => (open = resolve));
      gates.set(name, { opened, open });
    }
    return gates.get(name);
  }

  async function readBody(req) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }

  return async function testServer(ctx, next) {
    const url = new URL(ctx.url, 'http://localhost');
    if (!url.pathname.startsWith('/__')) requests.push(url.pathname + url.search);

    if (url.pathname === '/__requests') {
      const matches = url.searchParams.getAll('match');
      ctx.body = { count: requests.filter((request) => matches.every((match) => request.includes(match))).length };
      return;
    }
    if (url.pathname.startsWith('/__gates/') && ctx.method === 'POST') {
      gate(url.pathname.slice('/__gates/'.length)).open();
      ctx.body = { opened: true };
      return;
    }
    if (url.pathname.startsWith('/__posts/')) {
      const id = url.pathname.slice('/__posts/'.length);
      if (ctx.method === 'POST') {
        const body = await readBody(ctx.req);
        const list = posts.get(id) ?? [];
        list.push({ body, query: url.search, contentType: ctx.get('content-type') });
        posts.set(id, list);
        ctx.type = 'html';
        ctx.body = `<!doctype html><title>posted</title><p>posted ${list.length}</p>`;
      } else {
        ctx.body = posts.get(id) ?? [];
      }
      return;
    }
    if (url.pathname.startsWith('/__sent/')) {
      const [id, ...path] = url.pathname.slice('/__sent/'.length).split('/');
      const body = await readBody(ctx.req);
      const list = posts.get(id) ?? [];
      list.push({
        method: ctx.method,
        path: `/${path.join('/')}`,
        query: url.search,
        body,
        contentType: ctx.get('content-type'),
      });
      posts.set(id, list);
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>sent</title><p>sent ${list.length}</p>`;
      return;
    }
    if (url.pathname === '/__page') {
      const csp = url.searchParams.get('csp');
      if (csp) ctx.set('Content-Security-Policy', csp);
      const html = url.searchParams.get('html') ?? '';
      const bodyGate = url.searchParams.get('bodyGate');
      if (!bodyGate) {
        ctx.type = 'html';
        ctx.body = html;
        return;
      }
      // Everything before <body> now, the rest once the gate opens: a page that has no <body> yet.
      ctx.respond = false;
      ctx.res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        ...(csp ? { 'content-security-policy': csp } : {}),
      });
      const split = html.indexOf('<body');
      ctx.res.write(html.slice(0, split));
      await gate(bodyGate).opened;
      ctx.res.end(html.slice(split));
      return;
    }
    if (url.pathname === '/__held') {
      await gate(url.searchParams.get('gate') ?? '').opened;
      ctx.type = 'gif';
      ctx.body = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
      return;
    }
    if (url.pathname.endsWith('/fp/check.js')) {
      const held = /^\/__profile-gate\/([^/]+)\//.exec(url.pathname);
      if (held) await gate(held[1]).opened;
      ctx.set('Cache-Control', 'no-store');
      if (url.pathname.startsWith('/__profile-failed/')) {
        ctx.status = 404;
        return;
      }
      ctx.type = 'js';
      ctx.body = '';
      return;
    }
    if (url.pathname.endsWith('/fp/clear.png')) {
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'png';
      ctx.body = PIXEL_PNG;
      return;
    }
    if (url.pathname === '/risk.js') {
      const gateName = url.searchParams.get('gate');
      if (gateName) await gate(gateName).opened;
      ctx.set('Cache-Control', 'no-store');
      const id = url.searchParams.get('id');
      const isFirst = !answeredIds.has(id);
      answeredIds.add(id);
      if (isFirst && url.searchParams.get('first') === 'empty') {
        ctx.type = 'js';
        ctx.body = '';
        return;
      }
      const status =
        isFirst && url.searchParams.get('first') === '404' ? 404 : Number(url.searchParams.get('status') ?? 200);
      if (status !== 200) {
        ctx.status = status;
        ctx.body = 'not here';
        return;
      }
      if (url.searchParams.get('drop')) {
        ctx.respond = false;
        ctx.res.writeHead(200, { 'content-type': 'text/javascript', 'content-length': '100000' });
        ctx.res.write('window.WePay = { risk: { generate_risk_token() {}, ');
        setTimeout(() => ctx.res.socket?.destroy(), 10);
        return;
      }
      ctx.url = STAND_IN + url.search;
      await next();
      ctx.set('Cache-Control', 'no-store');
      return;
    }
    await next();
    if (url.pathname === OTHER_ORIGINS_WORKER) ctx.set('Service-Worker-Allowed', '/__page');
  };
}
