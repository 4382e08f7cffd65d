/**
 * Whether this is the development build, which explains itself: error messages in sentences, and
 * `console.warn` for page mistakes the element works around. The package's default export condition is the
 * production build, where `DEV` is `false` (vite.config.ts) and each `if (DEV)` and `DEV ? sentence : …`
 * is dropped with its prose; the `development` condition picks this one. The source is the development build.
 */
export const DEV: boolean = true;
