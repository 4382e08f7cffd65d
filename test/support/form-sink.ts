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
