import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteer from 'puppeteer-core';

/** Debian's Firefox ESR unless FIREFOX_PATH names another Firefox. */
export const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/**
 * Firefox, headless, driven by puppeteer-core over WebDriver BiDi. The Chrome launcher takes any puppeteer and
 * names itself after `browser`; @web/test-runner-puppeteer does the same, but with full puppeteer, whose
 * install downloads a browser.
 */
export function firefoxLauncher() {
  return chromeLauncher({
    puppeteer,
    launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true },
  });
}
