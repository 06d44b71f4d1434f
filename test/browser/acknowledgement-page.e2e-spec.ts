import request from 'supertest';
import { Role } from '@cbm/database';
import { NotificationWorker } from '../../apps/api/src/notifications/notification-worker';
import { startCommunicationCheck } from '../fixtures/communication-check.fixture';
import { createContact, participate, signedInUser, SignedIn } from '../support/factories';
import { BROWSER_TEST_TIMEOUT_MS, BrowserHarness, HARNESS_START_TIMEOUT_MS, startBrowserHarness } from './support/browser-harness';

/*
 * The link of a communication-check mail, opened in Chromium against the built service by a
 * contact who reads Arabic: the page, the Confirm button, the acknowledgement recorded. State: OMN.
 */
describe('Acknowledgement page in a browser, for an Arabic-speaking contact', () => {
  let harness: BrowserHarness;
  let secretariat: SignedIn;
  let checkId: string;
  const contacts = { first: 'مركز الاتصال الفني', second: 'مركز الاتصال الدبلوماسي' };
  const emails = { first: 'tech.ar@omn.example', second: 'diplomat.ar@omn.example' };

  const linkIn = (email: string): string => harness.linkInMail(email, /^\/api\/v1\/public\/acknowledgements\/[A-Za-z0-9_-]+$/);

  const statusOf = async (contactName: string): Promise<string> => {
    const results = await request(harness.app.getHttpServer())
      .get(`/api/v1/communication-checks/${checkId}/results?groupBy=contact&stateCode=OMN`)
      .set(secretariat.auth)
      .expect(200);
    return results.body.contacts.find((row: { contactName: string }) => row.contactName === contactName)?.status;
  };

  beforeAll(async () => {
    harness = await startBrowserHarness('acknowledgement-page');
    await participate(harness.app, 'OMN');
    await createContact(harness.app, 'OMN', { name: contacts.first, kind: 'TECHNICAL', emails: [emails.first], languages: ['ar'], timeZone: 'Asia/Muscat' });
    await createContact(harness.app, 'OMN', { name: contacts.second, kind: 'DIPLOMATIC', emails: [emails.second], languages: ['ar', 'en'], timeZone: 'Asia/Muscat' });
    secretariat = await signedInUser(harness.app, Role.PLATFORM_ADMIN, null);
    checkId = (await startCommunicationCheck(harness.app, secretariat.auth, { stateCodes: ['OMN'] })).id;
    await harness.app.get(NotificationWorker).drain();
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(() => harness?.close());

  it('opening the link records nothing; pressing Confirm records the acknowledgement and says so', async () => {
    const link = linkIn(emails.first);
    const { page, screenshot, violations } = await harness.newPage({ locale: 'ar' });

    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    await expect(page.locator('main, body').first().innerText()).resolves.toContain(contacts.first);
    await screenshot('confirmation-page');
    expect(await statusOf(contacts.first)).toBe('PENDING');

    const [answer] = await Promise.all([page.waitForNavigation(), page.locator('form[method="post"] button[type="submit"]').click()]);
    expect(answer?.status()).toBe(200);
    expect(answer?.request().method()).toBe('POST');
    await expect(page.locator('main, body').first().innerText()).resolves.toContain(contacts.first);
    await screenshot('acknowledged-page');
    expect(await statusOf(contacts.first)).toBe('ACKNOWLEDGED');

    // The link is single-use: opened again, it says the confirmation was recorded.
    expect((await page.goto(link))?.status()).toBe(410);
    await screenshot('link-used-page');
    expect(violations).toEqual([]);
  }, BROWSER_TEST_TIMEOUT_MS);

  /*
   * What issue 17 asks of the pages in Arabic.
   */
  it('the pages for an Arabic-speaking contact are right-to-left and in Arabic', async () => {
    const link = linkIn(emails.second);
    const { page, screenshot } = await harness.newPage({ locale: 'ar' });
    await page.goto(link);
    const html = page.locator('html');
    const direction = async () => ({
      dir: await html.getAttribute('dir'),
      lang: await html.getAttribute('lang'),
      css: await page.evaluate('getComputedStyle(document.body).direction'),
    });
    expect(await direction()).toEqual({ dir: 'rtl', lang: 'ar', css: 'rtl' });
    await screenshot('confirmation-page-rtl');

    await Promise.all([page.waitForNavigation(), page.locator('form[method="post"] button[type="submit"]').click()]);
    expect(await direction()).toEqual({ dir: 'rtl', lang: 'ar', css: 'rtl' });
    await screenshot('acknowledged-page-rtl');
    expect(await statusOf(contacts.second)).toBe('ACKNOWLEDGED');
  }, BROWSER_TEST_TIMEOUT_MS);
});
