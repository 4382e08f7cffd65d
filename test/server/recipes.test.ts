/// <reference types="node" />
/**
 * The PHP, Python and Ruby recipes of docs/server.md, taken from the page as a reader copies them and run
 * with their interpreters over the shared vectors (fixtures/risk-header-vectors.json): every answer must be
 * the Node helper's. Each recipe then makes one real call to a local stand-in of WePay's API, which records
 * what arrived. `.ci/run` installs php-cli and ruby; python3 comes with Debian.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { RiskHeaders } from '../../src/server/index.js';
import { docBlock, docBlocks } from './doc-blocks.js';
import { listen, type Listening } from './http-helpers.js';
import { nodeAnswer, RECIPE_CALLS, type RecipeCall } from './vectors.js';

const TOKEN = '123e4567-e89b-12d3-a456-426655440000';

/** A checkout behind a load balancer in 10.0.0.0/24, under a forged entry: both headers go to WePay. */
const CHECKOUT: RecipeCall = {
  posted: TOKEN.toUpperCase(),
  environ: { REMOTE_ADDR: '10.0.0.7', HTTP_X_FORWARDED_FOR: '1.2.3.4, 100.166.99.123' },
  trustedProxies: '10.0.0.0/24',
  expected: { 'WePay-Risk-Token': TOKEN, 'Client-IP': '100.166.99.123' },
};
const CARD = { client_id: 123, cc_number: '4111111111111111' };
const CARD_REPLY = { credit_card_id: 1234, state: 'new' };

interface Recipe {
  /** The heading the recipe sits under in docs/server.md, and its fence language. */
  readonly heading: string;
  readonly lang: string;
  readonly file: string;
  readonly interpreter: string;
  /** Appended to the recipe: reads `{ calls, checkout, card, api }` from stdin, prints `{ answers, reply }`. */
  readonly driver: string;
}

const RECIPES: readonly Recipe[] = [
  {
    heading: 'PHP',
    lang: 'php',
    file: 'wepay_risk.php',
    interpreter: 'php',
    driver: `
$input = json_decode(stream_get_contents(STDIN), true);
$answer = fn ($call) => (object) wepay_risk_headers($call['posted'], $call['environ'], $call['trustedProxies']);
$reply = wepay_post('/credit_card/create', $input['card'], 'STAGE_TOKEN', (array) $answer($input['checkout']), $input['api']);
echo json_encode(['answers' => array_map($answer, $input['calls']), 'reply' => $reply]);
`,
  },
  {
    heading: 'Python',
    lang: 'python',
    file: 'wepay_risk.py',
    interpreter: 'python3',
    driver: `
import sys
_input = json.load(sys.stdin)
_answers = [risk_headers(c['posted'], c['environ'], c['trustedProxies']) for c in _input['calls']]
_checkout = _input['checkout']
_risk = risk_headers(_checkout['posted'], _checkout['environ'], _checkout['trustedProxies'])
_reply = wepay_post('/credit_card/create', _input['card'], 'STAGE_TOKEN', _risk, api=_input['api'])
json.dump({'answers': _answers, 'reply': _reply}, sys.stdout)
`,
  },
  {
    heading: 'Ruby',
    lang: 'ruby',
    file: 'wepay_risk.rb',
    interpreter: 'ruby',
    driver: `
input = JSON.parse($stdin.read)
answer = ->(call) { WePayRisk.headers(call['posted'], call['environ'], call['trustedProxies']) }
reply = WePayRisk.post('/credit_card/create', input['card'], 'STAGE_TOKEN', answer.(input['checkout']), api: input['api'])
puts JSON.generate('answers' => input['calls'].map(&answer), 'reply' => reply)
`,
  },
];

interface Received {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Runs `file` with `interpreter`, `input` on stdin; resolves with stdout, rejects with stderr. */
function run(interpreter: string, file: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(interpreter, [file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(new Error(`${interpreter} could not start (${error.message}): install it, as .ci/run does`)),
    );
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${interpreter}: ${stderr}`))));
    child.stdin.end(input);
  });
}

const blocks = docBlocks(new URL('../../docs/server.md', import.meta.url));
const NODE_ANSWERS = RECIPE_CALLS.map(nodeAnswer);

for (const recipe of RECIPES) {
  describe(`the ${recipe.heading} recipe of docs/server.md`, () => {
    let api: Listening;
    let directory: string;
    const received: Received[] = [];
    let output: { answers: RiskHeaders[]; reply: unknown };

    before(async () => {
      api = await listen((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          received.push({ url: req.url ?? '', headers: req.headers, body });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(CARD_REPLY));
        });
      });
      directory = await mkdtemp(path.join(tmpdir(), 'wepay-recipe-'));
      const file = path.join(directory, recipe.file);
      await writeFile(file, docBlock(blocks, recipe.lang, recipe.heading) + recipe.driver);
      const input = { calls: RECIPE_CALLS, checkout: CHECKOUT, card: CARD, api: `http://127.0.0.1:${api.port}/v2` };
      output = JSON.parse(await run(recipe.interpreter, file, JSON.stringify(input)));
    });
    after(async () => {
      await api?.close();
      if (directory) await rm(directory, { recursive: true, force: true });
    });

    it('answers every shared vector as the Node helper does', () => {
      assert.equal(output.answers.length, RECIPE_CALLS.length);
      RECIPE_CALLS.forEach((call, index) => {
        assert.deepEqual(output.answers[index], NODE_ANSWERS[index], JSON.stringify(call));
      });
    });

    it("sends both headers with a call to WePay's API, and returns WePay's answer", () => {
      assert.deepEqual(nodeAnswer(CHECKOUT), CHECKOUT.expected);
      assert.equal(received.length, 1);
      const [call] = received as [Received];
      assert.equal(call.url, '/v2/credit_card/create');
      assert.equal(call.headers['wepay-risk-token'], TOKEN);
      assert.equal(call.headers['client-ip'], '100.166.99.123');
      assert.equal(call.headers.authorization, 'Bearer STAGE_TOKEN');
      assert.equal(call.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(call.body), CARD);
      assert.deepEqual(output.reply, CARD_REPLY);
    });
  });
}
