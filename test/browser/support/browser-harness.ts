import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { TestMailbox } from '../../support/mailbox';
import { createTestApp } from '../../support/test-app';
import { createScratchDatabase, dropScratchDatabase } from '../../support/test-database';
import { BuiltService, freePort, startBuiltService } from './built-service';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): no browser is downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Time for a start that has to build first (`nest build` takes half a minute on two cores). */
export const HARNESS_START_TIMEOUT_MS = 180_000;
/** A browser test drives a whole page (Swagger UI renders over a hundred operations) on a shared machine. */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

export interface BrowserPage {
  page: Page;
  /**
   * Writes `<nn>-<step>.png` into the spec's output folder (what the window shows, scrolled so that
   * `focus` is at the top when given) and returns its path.
   */
  screenshot(step: string, focus?: Locator): Promise<string>;
  /** What the console said about refused content (Content-Security-Policy), to assert it stayed empty. */
  violations: string[];
}

export interface BrowserHarness {
  /** The built service, started as production starts it, which the browser talks to. */
  service: BuiltService;
  /**
   * The application in this process on the same database, never shown to the browser: for the
   * factories and fixtures, and to deliver mail (its notification worker, drained by the test, sends
   * to `mailbox` with links to `service`).
   */
  app: NestExpressApplication;
  mailbox: TestMailbox;
  browser: Browser;
  /** test-output/browser/<spec>/: screenshots and the service's log. */
  outputDir: string;
  newPage(options?: { locale?: string }): Promise<BrowserPage>;
  /**
   * The link to the built service in the one mail sent to `email` whose path matches `path`, as the
   * person finds it (PUBLIC_BASE_URL is the built service). Drain the worker first.
   */
  linkInMail(email: string, path: RegExp): string;
  close(): Promise<void>;
}

/**
 * Everything a browser test needs, started in the order that lets links in mail point at the built
 * service. `spec` names the output folder, emptied first so every screenshot there is from this run.
 */
export async function startBrowserHarness(spec: string): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const outputDir = path.join(ROOT, 'test-output', 'browser', spec);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });

  const port = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const mailbox = await TestMailbox.start();
  // A database of the spec's own: the in-process worker drains only the mail this spec causes.
  const databaseUrl = await createScratchDatabase(`browser_${spec.replace(/\W/g, '_')}`);
  const { app } = await createTestApp({ DATABASE_URL: databaseUrl, SMTP_URL: mailbox.url, PUBLIC_BASE_URL: publicBaseUrl });
  const service = await startBuiltService({
    port,
    logFile: path.join(outputDir, 'service.log'),
    environment: {
      DATABASE_URL: databaseUrl,
      PUBLIC_BASE_URL: publicBaseUrl,
      SMTP_URL: mailbox.url,
      // The test drains the in-process worker when it wants mail; two workers would race for it.
      NOTIFICATION_WORKER_ENABLED: 'false',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      SWAGGER_ENABLED: 'true',
    },
  });
  // Root in a container: Chromium's sandbox needs user namespaces that are not there.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

  let shots = 0;
  return {
    service,
    app,
    mailbox,
    browser,
    outputDir,
    async newPage(options = {}) {
      const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      return {
        page,
        violations,
        async screenshot(step: string, focus?: Locator) {
          shots += 1;
          const file = path.join(outputDir, `${String(shots).padStart(2, '0')}-${step}.png`);
          await focus?.evaluate((element) => element.scrollIntoView({ block: 'start' }));
          await page.screenshot({ path: file });
          return file;
        },
      };
    },
    linkInMail(email: string, pathPattern: RegExp) {
      const mails = mailbox.to(email);
      if (mails.length !== 1) throw new Error(`Expected one mail to ${email}, got ${mails.length}`);
      const links = mails[0].text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
      const link = links.find((candidate) => candidate.startsWith(`${service.url}/`) && pathPattern.test(new URL(candidate).pathname));
      if (!link) throw new Error(`No link to ${service.url} matching ${pathPattern} in the mail to ${email}:\n${mails[0].text}`);
      return link;
    },
    async close() {
      await browser.close();
      await service.stop();
      await app.close();
      await mailbox.close();
      await dropScratchDatabase(databaseUrl);
    },
  };
}
