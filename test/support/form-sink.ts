import { fixture, html } from '@open-wc/testing';

/** A request a form sent to a {@link FormSink}, as the test server recorded it. */
export interface SentRequest {
  method: string;
  /** The path below the sink's URL, e.g. `/checkout`. */
  path: string;
  /** The query string, `?` included (empty when there is none). */
  query: string;
  contentType: string;
  body: string;
}

/**
 * A place forms send to by any method, at any path below `url()`, without the test page navigating: named
 * iframes to target (`target(frame)`), and the test server's record of every request (`sent()`). Its frames'
 * names start with `post-`, so the clean-page hooks remove them after each test.
 */
export interface FormSink {
  id: string;
  url(path?: string): string;
  target(frame?: string): string;
  /** Resolves with the frame (as named to `formSink`) that loads the next response. */
  landed(): Promise<string>;
  sent(): Promise<SentRequest[]>;
}

export async function formSink(frames: string[] = ['main']): Promise<FormSink> {
  const id = `post-${Math.random().toString(36).slice(2)}`;
  const elements = frames.map((frame) => Object.assign(document.createElement('iframe'), { name: `${id}-${frame}` }));
  await Promise.all(
    elements.map((element) => {
      element.hidden = true;
      const blank = new Promise((resolve) => element.addEventListener('load', resolve, { once: true }));
      document.body.append(element);
      return blank;
    }),
  );
  return {
    id,
    url: (path = '/') => `/__sent/${id}${path}`,
    target: (frame = 'main') => `${id}-${frame}`,
    landed: () =>
      Promise.race(
        elements.map(
          (element, index) =>
            new Promise<string>((resolve) =>
              element.addEventListener('load', () => resolve(frames[index]!), { once: true }),
            ),
        ),
      ),
    sent: async () => (await (await fetch(`/__posts/${id}`)).json()) as SentRequest[],
  };
}

export type Field = [name: string, value: string];

/** What a form sent, as the server received it: where, how, into which frame, and its fields in order. */
export interface Sent {
  frame: string;
  method: string;
  path: string;
  /** The media type, without the multipart boundary. */
  enctype: string;
  query: Field[];
  body: Field[];
}

/** The body's fields in order; a multipart file as `File(name, size, type)`. */
async function bodyFields({ contentType, body }: SentRequest): Promise<Field[]> {
  const enctype = contentType.split(';')[0]!.trim().toLowerCase();
  if (enctype === 'multipart/form-data') {
    const entries = [...(await new Response(body, { headers: { 'content-type': contentType } }).formData())];
    return entries.map(([name, value]) => [
      name,
      typeof value === 'string' ? value : `File(${value.name}, ${value.size}, ${value.type})`,
    ]);
  }
  if (enctype === 'text/plain') {
    return body
      .split('\r\n')
      .slice(0, -1)
      .map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      });
  }
  return [...new URLSearchParams(body)];
}

/** A request as a form sent it into `frame`. */
export async function readSent(request: SentRequest, frame: string): Promise<Sent> {
  return {
    frame,
    method: request.method,
    path: request.path,
    enctype: request.contentType.split(';')[0]!.trim().toLowerCase(),
    query: [...new URLSearchParams(request.query)],
    body: request.method === 'GET' ? [] : await bodyFields(request),
  };
}

/** The token fields a request carried (in its query or its body). */
export const tokensIn = (sent: Sent, field = 'wepay_risk_token') =>
  [...sent.query, ...sent.body].filter(([name]) => name === field);

/** The request without its token fields. */
export const withoutToken = (sent: Sent, field = 'wepay_risk_token'): Sent => ({
  ...sent,
  query: sent.query.filter(([name]) => name !== field),
  body: sent.body.filter(([name]) => name !== field),
});

/** A fresh part of the page holding `markup`. */
export async function pageWith(markup: string): Promise<HTMLDivElement> {
  const page = await fixture<HTMLDivElement>(html`<div></div>`);
  page.innerHTML = markup;
  return page;
}
