import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import { WePayHostsProxy } from './wepay-hosts.js';

/** Debian's WebKitGTK WebDriver (package webkit2gtk-driver) unless WEBKIT_DRIVER_PATH names another. */
const webkitDriverPath = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';

/** Starts `command` and resolves once it is running; a failure to start rejects with what to install. */
function start(command, args, options, hint) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    child.once('error', (error) => reject(new Error(`Could not start ${command}: ${error.message}. ${hint}`)));
    child.once('spawn', () => resolve(child));
  });
}

/** Xvfb on the first free display; resolves with the child and its display (`:N`). */
async function startXvfb() {
  // -displayfd makes Xvfb pick a free display and write its number to fd 3 once it accepts connections.
  const xvfb = await start(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] },
    'WebKit needs a display: apt-get install xvfb.',
  );
  const display = await new Promise((resolve, reject) => {
    let out = '';
    xvfb.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before it had a display.`)));
  });
  return { xvfb, display };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the driver answers `GET /status` with `ready: true`. */
async function driverReady(port, driver) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (driver.exitCode !== null)
      throw new Error(`${webkitDriverPath} exited with ${driver.exitCode} before it was ready.`);
    const status = await fetch(`http://127.0.0.1:${port}/status`).then(
      (response) => response.json(),
      () => undefined,
    );
    if (status?.value?.ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${webkitDriverPath} did not become ready on port ${port}.`);
}

/** Stops `child`; resolves once it has exited. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  return exited;
}

/**
 * WebKit, Safari's engine, as WebKitGTK builds it for Linux: its MiniBrowser, driven by WebKitWebDriver over
 * classic WebDriver (it speaks no BiDi). MiniBrowser needs a display, so the launcher starts its own Xvfb and
 * driver, and stops both when the run ends.
 *
 * WebDriver has no request interception, so the launcher also starts the WePay hosts proxy (`wepayHosts`, see
 * wepay-hosts.js) and has MiniBrowser send everything but loopback through it: `http_proxy`, `https_proxy` and
 * `no_proxy` in its environment, which GLib's proxy resolver (libproxy) reads, and `acceptInsecureCerts` for the
 * proxy's self-signed certificate. (The WebDriver `proxy` capability does not serve: WebKit hands its `sslProxy`
 * to GLib as an `https://` proxy, which GLib reaches over TLS.)
 */
class WebKitLauncher extends WebdriverLauncher {
  #processes = [];
  /** @type {WePayHostsProxy | undefined} */
  wepayHosts;

  constructor() {
    super({
      hostname: '127.0.0.1',
      port: 0,
      capabilities: { browserName: 'MiniBrowser', 'wdio:enforceWebDriverClassic': true, acceptInsecureCerts: true },
    });
  }

  async initialize(config, testFiles) {
    process.once('exit', () => this.#kill());
    try {
      this.wepayHosts = await WePayHostsProxy.start();
      const { xvfb, display } = await startXvfb();
      this.#processes.push(xvfb);
      const port = await freePort();
      const proxy = {
        http_proxy: this.wepayHosts.url,
        https_proxy: this.wepayHosts.url,
        no_proxy: 'localhost,127.0.0.1,::1',
      };
      const driver = await start(
        webkitDriverPath,
        [`--port=${port}`],
        { stdio: 'ignore', env: { ...process.env, ...proxy, DISPLAY: display } },
        'apt-get install webkit2gtk-driver, or set WEBKIT_DRIVER_PATH.',
      );
      this.#processes.push(driver);
      await driverReady(port, driver);
      // The driver's port is known only now; webdriverio connects on the first test.
      this.options.port = port;
    } catch (error) {
      await this.#kill();
      throw error;
    }
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }

  async stop() {
    await super.stop();
    await this.#kill();
  }

  /** Stops the driver, then Xvfb, and the proxy; resolves once all have stopped. */
  #kill() {
    const proxy = this.wepayHosts?.close();
    this.wepayHosts = undefined;
    return Promise.all([...this.#processes.splice(0).reverse().map(stopChild), proxy]);
  }
}

export function webkitLauncher() {
  return new WebKitLauncher();
}

/**
 * WebKitWebDriver on a display of its own from Xvfb, without the launcher and its proxy: for a test that drives
 * MiniBrowser itself over classic WebDriver and serves every page from loopback. Resolves with the driver's URL and
 * `stop()`, which stops the driver and Xvfb and resolves once both have exited.
 */
export async function startWebKitDriver() {
  const processes = [];
  const stop = () => Promise.all(processes.splice(0).reverse().map(stopChild));
  try {
    const { xvfb, display } = await startXvfb();
    processes.push(xvfb);
    const port = await freePort();
    const driver = await start(
      webkitDriverPath,
      [`--port=${port}`],
      { stdio: 'ignore', env: { ...process.env, DISPLAY: display } },
      'apt-get install webkit2gtk-driver, or set WEBKIT_DRIVER_PATH.',
    );
    processes.push(driver);
    await driverReady(port, driver);
    return { url: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
