import request from 'supertest';
import { Role } from '@cbm/database';
import { NotificationWorker } from '../../apps/api/src/notifications/notification-worker';
import { participate, signedInUser, SignedIn } from '../support/factories';
import { BROWSER_TEST_TIMEOUT_MS, BrowserHarness, HARNESS_START_TIMEOUT_MS, startBrowserHarness } from './support/browser-harness';
import { execute, operation } from './support/swagger-ui';

/*
 * An invited officer in Chromium against the built service: the link in the invitation mail, the
 * page that sets the password, then signing in. State: KWT.
 */
describe('Invitation page in a browser', () => {
  let harness: BrowserHarness;
  let admin: SignedIn;
  const invited = { email: 'invited.officer@kwt.example', password: 'seven green lanterns over the gulf' };

  beforeAll(async () => {
    harness = await startBrowserHarness('invitation-page');
    await participate(harness.app, 'KWT');
    admin = await signedInUser(harness.app, Role.STATE_ADMIN, 'KWT');
    await request(harness.app.getHttpServer())
      .post('/api/v1/users')
      .set(admin.auth)
      .send({ email: invited.email, displayName: 'Invited officer', role: Role.STATE_OFFICER })
      .expect(201);
    await harness.app.get(NotificationWorker).drain();
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(() => harness?.close());

  it('the link sets a password, and the officer signs in with it', async () => {
    const link = harness.linkInMail(invited.email, /invitation/);
    const { page, screenshot, violations } = await harness.newPage();

    expect((await page.goto(link))?.status()).toBe(200);
    await screenshot('invitation-page');
    for (const field of await page.locator('input[type="password"]').all()) await field.fill(invited.password);
    const [answer] = await Promise.all([page.waitForNavigation(), page.locator('form[method="post"] button[type="submit"]').click()]);
    expect(answer?.status()).toBe(200);
    await screenshot('password-set');

    await page.goto(`${harness.service.url}/docs`);
    const signedIn = await execute(operation(page, 'post', '/api/v1/auth/login'), { body: invited });
    expect(signedIn.status).toBe(200);
    const me = await execute(operation(page, 'get', '/api/v1/auth/me'));
    expect(JSON.parse(me.body)).toMatchObject({ email: invited.email, role: 'STATE_OFFICER', stateCode: 'KWT' });
    await screenshot('signed-in', operation(page, 'get', '/api/v1/auth/me').locator('.responses-wrapper'));
    expect(violations).toEqual([]);
  }, BROWSER_TEST_TIMEOUT_MS);
});
