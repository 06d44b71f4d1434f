import { runInNewContext } from 'node:vm';
import { BEARER_SECURITY_SCHEME, InterceptedRequest, InterceptedResponse, requestInterceptor, responseInterceptor } from './swagger-ui-sign-in';

type Interceptors = {
  requestInterceptor: (request: InterceptedRequest) => InterceptedRequest;
  responseInterceptor: (response: InterceptedResponse) => InterceptedResponse;
};

/**
 * The functions as the browser gets them: their source text alone (what swagger-ui-express writes
 * into swagger-ui-init.js), evaluated where only `window` and the standard globals exist.
 */
function inBrowser() {
  const storage = new Map<string, string>();
  const authorized: Array<[string, string]> = [];
  const loggedOut: string[][] = [];
  let persisted = 0;
  const window = {
    location: { href: 'http://127.0.0.1:3000/docs/' },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    },
    ui: {
      preauthorizeApiKey: (scheme: string, value: string) => authorized.push([scheme, value]),
      authActions: {
        persistAuthorizationIfNeeded: () => (persisted += 1),
        logoutWithPersistOption: (schemes: string[]) => loggedOut.push(schemes),
      },
    },
  };
  const source = `({ requestInterceptor: ${requestInterceptor.toString()}, responseInterceptor: ${responseInterceptor.toString()} })`;
  const functions = runInNewContext(source, { window, URL }) as Interceptors;
  return { ...functions, storage, authorized, loggedOut, persisted: () => persisted };
}

const ACCESS = 'eyJhbGciOiJIUzI1NiJ9.access.signature';
const REFRESH = 'rt_0123456789abcdefghijklmnop';
const url = (path: string) => `http://127.0.0.1:3000${path}`;

describe('Swagger UI sign-in interceptors', () => {
  it('authorize the bearer scheme with the access token of login, and keep the refresh token', () => {
    const browser = inBrowser();
    const response = { url: url('/api/v1/auth/login'), status: 200, body: { mfaRequired: false, accessToken: ACCESS, refreshToken: REFRESH } };
    expect(browser.responseInterceptor(response)).toBe(response);
    expect(browser.authorized).toEqual([[BEARER_SECURITY_SCHEME, ACCESS]]);
    expect(browser.persisted()).toBe(1);
    expect(browser.storage.get('cbm-registry.refreshToken')).toBe(REFRESH);
  });

  it('keep the mfaToken of a login that needs a second factor, fill it into mfa/verify, then authorize', () => {
    const browser = inBrowser();
    browser.responseInterceptor({ url: url('/api/v1/auth/login'), status: 200, body: { mfaRequired: true, mfaToken: 'mfa.token.of-the-login-step' } });
    expect(browser.authorized).toEqual([]);

    const verify = browser.requestInterceptor({ url: url('/api/v1/auth/mfa/verify'), method: 'POST', body: JSON.stringify({ mfaToken: 'string', code: '123456' }) });
    expect(JSON.parse(String(verify.body))).toEqual({ mfaToken: 'mfa.token.of-the-login-step', code: '123456' });

    browser.responseInterceptor({ url: url('/api/v1/auth/mfa/verify'), status: 200, body: { accessToken: ACCESS, refreshToken: REFRESH } });
    expect(browser.authorized).toEqual([['bearer', ACCESS]]);
    expect(browser.storage.has('cbm-registry.mfaToken')).toBe(false);
  });

  it('fill the kept refresh token into refresh when the editor holds the placeholder, and take the new pair', () => {
    const browser = inBrowser();
    browser.storage.set('cbm-registry.refreshToken', REFRESH);
    const refresh = browser.requestInterceptor({ url: url('/api/v1/auth/refresh'), method: 'POST', body: '{\n  "refreshToken": "string"\n}' });
    expect(JSON.parse(String(refresh.body))).toEqual({ refreshToken: REFRESH });
    // What Swagger UI writes for a string of at least 20 characters, and an emptied editor field.
    for (const placeholder of ['stringstringstringst', '', undefined]) {
      const filled = browser.requestInterceptor({ url: url('/api/v1/auth/refresh'), body: JSON.stringify({ refreshToken: placeholder }) });
      expect(JSON.parse(String(filled.body))).toEqual({ refreshToken: REFRESH });
    }

    browser.responseInterceptor({ url: url('/api/v1/auth/refresh'), status: 200, body: { accessToken: 'new.access.token', refreshToken: 'rt_new_0123456789abcdefghij' } });
    expect(browser.authorized).toEqual([['bearer', 'new.access.token']]);
    expect(browser.storage.get('cbm-registry.refreshToken')).toBe('rt_new_0123456789abcdefghij');
  });

  it('leave a refresh token that the person typed, other operations, and bodies that are not JSON alone', () => {
    const browser = inBrowser();
    browser.storage.set('cbm-registry.refreshToken', REFRESH);
    const typed = JSON.stringify({ refreshToken: 'rt_typed_by_hand_0123456789' });
    expect(browser.requestInterceptor({ url: url('/api/v1/auth/refresh'), body: typed }).body).toBe(typed);
    const short = JSON.stringify({ refreshToken: 'strong' });
    expect(browser.requestInterceptor({ url: url('/api/v1/auth/refresh'), body: short }).body).toBe(short);
    expect(browser.requestInterceptor({ url: url('/api/v1/contacts'), body: '{"refreshToken":"string"}' }).body).toBe('{"refreshToken":"string"}');
    expect(browser.requestInterceptor({ url: url('/api/v1/auth/refresh'), body: 'not json' }).body).toBe('not json');
    expect(browser.requestInterceptor({ url: '/docs-json' })).toEqual({ url: '/docs-json' });
  });

  it('authorize nothing on a failed sign-in or another operation, and forget everything on logout', () => {
    const browser = inBrowser();
    browser.responseInterceptor({ url: url('/api/v1/auth/login'), status: 401, body: { code: 'INVALID_CREDENTIALS' } });
    browser.responseInterceptor({ url: url('/api/v1/contacts'), status: 200, body: { accessToken: 'not.a.sign-in' } });
    expect(browser.authorized).toEqual([]);

    browser.storage.set('cbm-registry.refreshToken', REFRESH);
    browser.responseInterceptor({ url: url('/api/v1/auth/logout'), status: 204 });
    expect(browser.loggedOut).toEqual([['bearer']]);
    expect(browser.storage.has('cbm-registry.refreshToken')).toBe(false);
  });
});
