/// <reference types="node" />
/**
 * The public contract of `wepay-risk-token/server`: its exported names, and that it is runtime-neutral —
 * no `node:*` (or other) imports, no Node-only or DOM-only globals — so it runs on Deno, Bun and edge
 * runtimes. Checked by compiling the sources with nothing but the ES2022 standard library.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

import * as server from '../../src/server/index.js';

const SERVER_DIR = fileURLToPath(new URL('../../src/server/', import.meta.url));
const sources = readdirSync(SERVER_DIR)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join(SERVER_DIR, name));

describe('wepay-risk-token/server contract', () => {
  it('exports exactly the public API', () => {
    assert.deepEqual(Object.keys(server).sort(), [
      'CLIENT_IP_HEADER',
      'DEFAULT_TOKEN_FIELD',
      'RISK_TOKEN_HEADER',
      'RiskHeaderError',
      'clientIpFrom',
      'compileTrust',
      'isPublicIp',
      'isRiskToken',
      'riskHeaders',
      'riskTokenFrom',
    ]);
    assert.equal(server.RISK_TOKEN_HEADER, 'WePay-Risk-Token');
    assert.equal(server.CLIENT_IP_HEADER, 'Client-IP');
    assert.equal(server.DEFAULT_TOKEN_FIELD, 'wepay_risk_token');
    const error = new server.RiskHeaderError('clientIp', 'x');
    assert.ok(error instanceof Error);
    assert.equal(error.field, 'clientIp');
    assert.equal(error.name, 'RiskHeaderError');
  });

  it('imports nothing but its own relative .js modules', () => {
    for (const file of sources) {
      // preProcessFile finds static imports, re-exports, dynamic import() and require() outside comments.
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      assert.deepEqual(info.referencedFiles, []);
      assert.deepEqual(info.typeReferenceDirectives, []);
      for (const { fileName } of info.importedFiles) {
        assert.match(fileName, /^\.\/[a-z-]+\.js$/, `${path.basename(file)} imports ${fileName}`);
      }
    }
  });

  it('type-checks with only the ES2022 library: no Node, DOM or other runtime globals', () => {
    const program = ts.createProgram(sources, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      isolatedModules: true,
      useDefineForClassFields: false,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(diagnostics, []);
  });
});

describe("RiskHeaders in a consumer's code", () => {
  const consumer = fileURLToPath(new URL('./fixtures/fetch-consumer.ts', import.meta.url));
  const compile = (options: ts.CompilerOptions): string[] => {
    const program = ts.createProgram([consumer], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      ...options,
    });
    return ts
      .getPreEmitDiagnostics(program, program.getSourceFile(consumer))
      .map((d) => `${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  };

  for (const exactOptionalPropertyTypes of [false, true]) {
    const flag = exactOptionalPropertyTypes ? ', exactOptionalPropertyTypes' : '';
    it(`goes straight into fetch's RequestInit under --strict with the DOM's typings${flag}`, () => {
      assert.deepEqual(
        compile({ lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [], exactOptionalPropertyTypes }),
        [],
      );
    });
    it(`goes straight into fetch's RequestInit under --strict with Node's typings${flag}`, () => {
      assert.deepEqual(compile({ lib: ['lib.es2022.d.ts'], types: ['node'], exactOptionalPropertyTypes }), []);
    });
  }
});
