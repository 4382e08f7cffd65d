import type http from 'node:http';

/** Largest request body the demo's servers read. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request's body as text, or `null` once it grows past `MAX_BODY_BYTES`. */
export async function readBody(request: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
