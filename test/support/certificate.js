import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A self-signed certificate (and its key, PEM) for `hosts`, valid one day, made by `openssl`: for the local
 * servers that answer as WePay's hosts, whose browsers are told to accept it. `subject` names it.
 */
export async function selfSignedCertificate(hosts, subject = hosts[0]) {
  const folder = await mkdtemp(join(tmpdir(), 'wepay-risk-token-tls-'));
  try {
    const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
    const names = hosts.map((host) => `DNS:${host}`).join(',');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${subject}`,
      '-addext',
      `subjectAltName=${names}`,
      '-keyout',
      key,
      '-out',
      cert,
    ]).catch((error) => {
      throw new Error(
        `A local TLS server needs openssl for its certificate (apt-get install openssl): ${error.message}`,
      );
    });
    return { key: await readFile(key), cert: await readFile(cert) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
