import { Role } from '@cbm/database';
import { createContact, createUser, participate, TestUser } from '../support/factories';
import { BROWSER_TEST_TIMEOUT_MS, BrowserHarness, HARNESS_START_TIMEOUT_MS, startBrowserHarness } from './support/browser-harness';
import { execute, operation } from './support/swagger-ui';

/*
 * Swagger UI in Chromium against the built service: signing in with `login` authorizes every later
 * call, without the Authorize dialog (which this test never opens). State: QAT.
 */
describe('Swagger UI in a browser: signing in authorizes the page by itself', () => {
  let harness: BrowserHarness;
  let officer: TestUser;
  let contactName: string;

  beforeAll(async () => {
    harness = await startBrowserHarness('swagger-ui-sign-in');
    await participate(harness.app, 'QAT');
    officer = await createUser(harness.app, Role.STATE_OFFICER, 'QAT');
    contactName = (await createContact(harness.app, 'QAT', { name: 'Qatar technical point of contact' })).name;
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(() => harness?.close());

  it('login, then GET /contacts answers 200; refresh renews the token; a reload keeps it', async () => {
    const { page, screenshot, violations } = await harness.newPage();
    await page.goto(`${harness.service.url}/docs`);
    const login = operation(page, 'post', '/api/v1/auth/login');
    await login.waitFor({ state: 'visible' });
    const authorize = page.locator('.auth-wrapper button.authorize');
    await expectClass(authorize, 'unlocked');
    await screenshot('docs-opened');

    const contacts = operation(page, 'get', '/api/v1/contacts');
    const before = await execute(contacts, { query: { state: 'QAT' } });
    expect(before.status).toBe(401);

    const signedIn = await execute(login, { body: { email: officer.email, password: officer.password } });
    expect(signedIn.status).toBe(200);
    expect(JSON.parse(signedIn.body)).toMatchObject({ mfaRequired: false, tokenType: 'Bearer' });
    await expectClass(authorize, 'locked');
    await screenshot('login-executed', login.locator('.responses-wrapper'));
    await screenshot('authorized-without-the-dialog', page.locator('.scheme-container'));

    const listed = await execute(contacts, { query: { state: 'QAT' } });
    expect(listed.status).toBe(200);
    expect(listed.curl).toContain(`Authorization: Bearer ${JSON.parse(signedIn.body).accessToken}`);
    expect(JSON.parse(listed.body).items.map((item: { name: string }) => item.name)).toEqual([contactName]);
    await screenshot('contacts-listed', contacts.locator('.responses-wrapper'));

    // The editor keeps Swagger UI's placeholder: the page fills in the refresh token it kept.
    const refresh = operation(page, 'post', '/api/v1/auth/refresh');
    const renewed = await execute(refresh);
    expect(renewed.status).toBe(200);
    const newAccessToken = JSON.parse(renewed.body).accessToken;
    expect(newAccessToken).not.toBe(JSON.parse(signedIn.body).accessToken);
    await screenshot('refresh-executed', refresh.locator('.responses-wrapper'));

    await page.reload();
    const afterReload = operation(page, 'get', '/api/v1/contacts');
    await afterReload.waitFor({ state: 'visible' });
    const listedAgain = await execute(afterReload, { query: { state: 'QAT' } });
    expect(listedAgain.status).toBe(200);
    expect(listedAgain.curl).toContain(`Authorization: Bearer ${newAccessToken}`);
    await screenshot('contacts-after-reload', afterReload.locator('.responses-wrapper'));

    expect(violations).toEqual([]);
  }, BROWSER_TEST_TIMEOUT_MS);
});

async function expectClass(locator: import('playwright-core').Locator, className: string): Promise<void> {
  await locator.and(locator.page().locator(`.${className}`)).waitFor({ state: 'visible', timeout: 5_000 });
}
