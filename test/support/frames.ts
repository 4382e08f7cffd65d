import { fixture, html } from '@open-wc/testing';

export type FrameWindow = Window & typeof globalThis;

/**
 * Loads `markup` as a whole page from the test server (optionally with a CSP header) in an iframe, and resolves
 * once that page has loaded. (The frame's first document, an `about:blank` that WebKit already calls
 * complete, does not count.)
 */
export async function framePage(
  markup: string,
  csp?: string,
): Promise<{ frame: HTMLIFrameElement; window: FrameWindow }> {
  const query = new URLSearchParams({ html: `<!doctype html>${markup}` });
  if (csp) query.set('csp', csp);
  let pageLoaded!: () => void;
  const loaded = new Promise<void>((resolve) => (pageLoaded = resolve));
  const onLoad = (event: Event) => {
    if ((event.target as HTMLIFrameElement).contentWindow?.location.pathname === '/__page') pageLoaded();
  };
  const frame = await fixture<HTMLIFrameElement>(html`<iframe src=${`/__page?${query}`} @load=${onLoad}></iframe>`);
  await loaded;
  return { frame, window: frame.contentWindow as FrameWindow };
}

/** Resolves with the next event of `type` on `target` (an element of any frame). */
export function nextEvent<T extends Event = CustomEvent>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event as T), { once: true }));
}

/** The form posts the test server recorded under `id`, parsed. */
export async function postsTo(id: string): Promise<URLSearchParams[]> {
  const posts = (await (await fetch(`/__posts/${id}`)).json()) as Array<{ body: string }>;
  return posts.map((post) => new URLSearchParams(post.body));
}

/**
 * A place for a form to post to without the test page navigating: an iframe the form targets, and the test
 * server's recording endpoint. `landed()` resolves when the next post's response has loaded.
 */
export async function postSink(): Promise<{ id: string; action: string; target: string; landed(): Promise<void> }> {
  const id = `post-${Math.random().toString(36).slice(2)}`;
  const frame = document.createElement('iframe');
  frame.name = id;
  frame.hidden = true;
  const blank = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await blank;
  return {
    id,
    action: `/__posts/${id}`,
    target: id,
    landed: () => new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true })),
  };
}

/**
 * A checkout form with an email field and Pay that posts to a sink; a test adds its elements by hand, so that
 * nothing waits between.
 */
export async function checkoutForm() {
  const sink = await postSink();
  const form = await fixture<HTMLFormElement>(html`
    <form method="post" action=${sink.action} target=${sink.target}>
      <input name="email" value="shopper@example.com" />
      <button name="pay" value="card">Pay</button>
    </form>
  `);
  return { form, sink, email: form.querySelector('input')!, pay: form.querySelector('button')! };
}
