import type { WebdriverLauncher } from '@web/test-runner-webdriver';

export declare function webkitLauncher(): WebdriverLauncher;
export declare function startWebKitDriver(): Promise<{ url: string; stop(): Promise<unknown> }>;
