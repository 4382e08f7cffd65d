import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./node-snippet-preload.js', import.meta.url));

/** A call the snippet made to WePay's API, as the stand-in in node-snippet-preload.js received it. */
export interface WePayCall {
  method: string;
  url: string;
  /** Header names lower-cased, as `Headers` gives them. */
  headers: Record<string, string>;
  body: string;
}

/** A snippet running in its own Node process. */
export interface NodeSnippet {
  /** The port it listens on, or `null` once it has exited without listening. */
  listening: Promise<number | null>;
  /** Its exit code (a signal counts as failure), with what it wrote to stderr. */
  exited: Promise<{ code: number; stderr: string }>;
  /** Resolves with the next call to WePay's API the snippet makes; rejects after `timeout` ms. */
  nextWePayCall(timeout?: number): Promise<WePayCall>;
  stop(): Promise<void>;
}

interface Message {
  listening?: number;
  wepayCall?: WePayCall;
}

/**
 * Runs a snippet file with `node` as a user runs their server: with the workspace as its directory, so its
 * imports resolve there, and `NODE_ENV` unset, as on a developer's machine.
 */
export function runNodeSnippet(workspaceDir: string, file: string): NodeSnippet {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['--import', PRELOAD, join(workspaceDir, file)], {
    cwd: workspaceDir,
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const calls = new EventEmitter();
  const received: WePayCall[] = [];
  child.on('message', (message: Message) => {
    if (message.wepayCall) {
      received.push(message.wepayCall);
      calls.emit('call');
    }
  });
  const exited = once(child, 'exit').then(([code]) => ({ code: typeof code === 'number' ? code : 1, stderr }));
  const listening = new Promise<number | null>((resolve) => {
    child.on('message', (message: Message) => {
      if (message.listening !== undefined) resolve(message.listening);
    });
    void exited.then(() => resolve(null));
  });

  return {
    listening,
    exited,
    async nextWePayCall(timeout = 30_000) {
      const signal = AbortSignal.timeout(timeout);
      while (received.length === 0) {
        try {
          await once(calls, 'call', { signal });
        } catch {
          throw new Error(`no call to WePay's API within ${timeout} ms${stderr ? `; stderr:\n${stderr}` : ''}`);
        }
      }
      return received.shift()!;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited;
      }
    },
  };
}
