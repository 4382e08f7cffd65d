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

/** Chromium for the browser tests, driven by puppeteer-core (given, the launcher names itself Chromium). */
export function chromiumLauncher() {
  return chromeLauncher({ puppeteer, launchOptions: { executablePath: chromePath, headless: true, args: chromeArgs } });
}
