import type { ChromeLauncher } from '@web/test-runner-chrome';

export declare const chromePath: string;
export declare const chromeArgs: string[];
export declare function chromiumLauncher(): ChromeLauncher;
