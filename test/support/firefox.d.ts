import type { ChromeLauncher } from '@web/test-runner-chrome';

export declare const firefoxPath: string;
export declare function firefoxLauncher(): ChromeLauncher;
