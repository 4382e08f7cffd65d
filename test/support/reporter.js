import { defaultReporter } from '@web/test-runner';

/** The 404s the tests ask for: the test server's `status=404` fault for Risk.js. */
const asked404 = (request) => new URL(request, 'http://localhost/').searchParams.get('status') === '404';

/** Skipped tests as "suite > test" titles: their titles name the feature the engine lacks. */
function skippedTests(suite, path = []) {
  const here = suite.name ? [...path, suite.name] : path;
  return [
    ...suite.tests.filter((test) => test.skipped).map((test) => [...here, test.name].join(' > ')),
    ...suite.suites.flatMap((child) => skippedTests(child, here)),
  ];
}

/**
 * WTR's default reporter, quiet on a green run: the 404s the tests provoke on purpose are left out (any other
 * 404 is still listed), and each skipped test is listed with its reason. Failures, errors and browser logs
 * print as usual.
 */
export function quietReporter() {
  const reporter = defaultReporter();
  return {
    ...reporter,
    reportTestFileResults({ logger, sessionsForTestFile, testFile }) {
      const sessions = sessionsForTestFile.map((session) => ({
        ...session,
        request404s: session.request404s.filter((request) => !asked404(request)),
      }));
      for (const session of sessions) {
        for (const title of session.testResults ? skippedTests(session.testResults) : []) {
          logger.log(` ⏭  ${session.browser.name} skipped: ${title}`);
        }
      }
      return reporter.reportTestFileResults({ logger, sessionsForTestFile: sessions, testFile });
    },
  };
}
