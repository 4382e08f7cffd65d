import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A fenced code block of a Markdown file, as a reader sees it. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository: `README.md`, `docs/security.md`. */
  file: string;
  /** Line of the opening fence, 1-based. */
  line: number;
  /** The first word of the info string, lower-cased (`ts`, `html`…); `''` when the fence names none. */
  lang: string;
  /** The block's text, without the indentation of its fence. */
  code: string;
  /** The heading the block sits under; blocks under one heading make one page (see snippets.test.ts). */
  section: string;
  /** `<!-- snippet: fragment -->` on the line before the fence; `why` is what follows a dash, if anything. */
  fragment: { why: string } | null;
}

const FENCE = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^#{1,6}\s+(.*?)\s*#*$/;
const FRAGMENT = /^\s*<!-- snippet: fragment(?:\s+[—-]\s+(.*?))?\s*-->\s*$/;
/** Blocks inside list items are indented with their item; up to this many spaces before the fence. */
const MAX_INDENT = 8;

/** Whether `text` closes a block opened with `marker`: the same character, at least as many times, alone. */
function closes(text: string, marker: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= marker.length && [...trimmed].every((character) => character === marker[0]);
}

/** Every fenced code block of one Markdown file, in order. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let section = '';
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    const fence = FENCE.exec(text);
    if (!fence || (fence[1] ?? '').length > MAX_INDENT) {
      const heading = HEADING.exec(text);
      if (heading) section = heading[1] ?? '';
      continue;
    }
    const indent = (fence[1] ?? '').length;
    const marker = fence[2] ?? '```';
    let end = index + 1;
    while (end < lines.length && !closes(lines[end] ?? '', marker)) end += 1;
    const body = lines
      .slice(index + 1, end)
      .map((line) => line.slice(Math.min(indent, /^ */.exec(line)?.[0].length ?? 0)));
    const fragment = FRAGMENT.exec(lines[index - 1] ?? '');
    blocks.push({
      file,
      line: index + 1,
      lang: (fence[3] ?? '').toLowerCase(),
      code: `${body.join('\n')}\n`,
      section,
      fragment: fragment ? { why: fragment[1] ?? '' } : null,
    });
    index = end;
  }
  return blocks;
}

/** The Markdown files whose snippets are checked: the README and every page of `docs/`. */
export async function documentationFiles(repo: string): Promise<string[]> {
  const docs = (await readdir(join(repo, 'docs'))).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/** Every code block of the README and of `docs/*.md`. */
export async function documentationBlocks(repo: string): Promise<CodeBlock[]> {
  const blocks: CodeBlock[] = [];
  for (const file of await documentationFiles(repo)) {
    blocks.push(...codeBlocks(file, await readFile(join(repo, file), 'utf8')));
  }
  return blocks;
}
