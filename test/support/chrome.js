import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteer from 'puppeteer-core';

/**
 * Chromium for the browser tests, the demo's test and the benchmark: Debian's unless CHROME_PATH names another
 * Chrome, headless, with the flags that keep it from reaching for the network on a machine that has none.
 */
export const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';

export const chromeArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Chromium for the browser tests, driven by puppeteer-core (given, the launcher names itself Chromium). Each test
 * file gets a page of its own, closed when the file ends: the launcher would otherwise reuse the page, and
 * requests a file left pending (a gate it never opened, an intercepted request) could starve the next file's.
 */
export function chromiumLauncher() {
  const launcher = chromeLauncher({
    puppeteer,
    launchOptions: { executablePath: chromePath, headless: true, args: chromeArgs },
  });
  const stopSession = launcher.stopSession.bind(launcher);
  launcher.stopSession = async (sessionId) => {
    const page = launcher.getPage(sessionId);
    const result = await stopSession(sessionId);
    launcher.inactivePages = launcher.inactivePages.filter((reusable) => reusable.puppeteerPage !== page);
    await page.close();
    return result;
  };
  return launcher;
}
