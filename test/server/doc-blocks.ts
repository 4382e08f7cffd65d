/// <reference types="node" />
/**
 * The fenced code blocks of a Markdown page, each with the heading it sits under, so tests run the code a
 * reader pastes, not a copy of it.
 */
import { readFileSync } from 'node:fs';

export interface DocBlock {
  /** The fence's language: `js`, `ts`, `php`, … */
  readonly lang: string;
  readonly code: string;
  /** The nearest heading above the block, without its `#`s. */
  readonly heading: string;
}

export function docBlocks(url: URL): DocBlock[] {
  const blocks: DocBlock[] = [];
  let heading = '';
  let open: { lang: string; lines: string[] } | null = null;
  for (const line of readFileSync(url, 'utf8').split('\n')) {
    if (open !== null) {
      if (line === '```') {
        blocks.push({ lang: open.lang, code: `${open.lines.join('\n')}\n`, heading });
        open = null;
      } else {
        open.lines.push(line);
      }
    } else if (line.startsWith('```')) {
      open = { lang: line.slice(3).trim(), lines: [] };
    } else if (line.startsWith('#')) {
      heading = line.replace(/^#+\s*/, '');
    }
  }
  return blocks;
}

/** The one block of `lang` under `heading`; throws when there is none or more than one. */
export function docBlock(blocks: readonly DocBlock[], lang: string, heading: string): string {
  const found = blocks.filter((block) => block.lang === lang && block.heading === heading);
  if (found.length !== 1) throw new Error(`expected one ${lang} block under "${heading}", found ${found.length}`);
  return (found[0] as DocBlock).code;
}
