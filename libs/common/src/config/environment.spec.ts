import { InvalidEnvironmentError, LogLevel, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const environment = validateEnvironment({});
    expect(environment).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      EMBEDDED_POSTGRES_PORT: 54329,
      EMBEDDED_POSTGRES_DIR: '.data/postgres',
      DATABASE_POOL_SIZE: 10,
      MIGRATE_ON_START: true,
      BODY_LIMIT_BYTES: 1048576,
      CORS_ORIGINS: '',
      SWAGGER_ENABLED: true,
      METRICS_ENABLED: true,
      LOG_LEVEL: LogLevel.Info,
    });
    expect(environment.DATABASE_URL).toBeUndefined();
  });

  it('converts strings from the environment into numbers and booleans', () => {
    const environment = validateEnvironment({ PORT: '8080', SWAGGER_ENABLED: 'false', MIGRATE_ON_START: '0', DATABASE_URL: 'postgresql://u@db:5432/cbm' });
    expect(environment).toMatchObject({ PORT: 8080, SWAGGER_ENABLED: false, MIGRATE_ON_START: false, DATABASE_URL: 'postgresql://u@db:5432/cbm' });
  });

  it('ignores variables it does not know (the process environment holds many)', () => {
    expect(() => validateEnvironment({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['SWAGGER_ENABLED', { SWAGGER_ENABLED: 'perhaps' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '12' }],
    ['BOOTSTRAP_ADMIN_PASSWORD', { BOOTSTRAP_ADMIN_EMAIL: 'admin@un.example' }],
    ['BOOTSTRAP_ADMIN_EMAIL', { BOOTSTRAP_ADMIN_PASSWORD: 'long enough password' }],
    ['BOOTSTRAP_ADMIN_PASSWORD', { BOOTSTRAP_ADMIN_EMAIL: 'admin@un.example', BOOTSTRAP_ADMIN_PASSWORD: 'short' }],
  ])('rejects a bad %s with a message naming it', (variable, raw) => {
    let thrown: unknown;
    try {
      validateEnvironment(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEnvironmentError);
    expect((thrown as InvalidEnvironmentError).problems.some((problem) => problem.startsWith(`${variable}=`))).toBe(true);
  });

  it('requires the token secret, the audit chain key and the application key in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET=\(hidden\):.*must be set in production/);
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/AUDIT_CHAIN_KEY=\(hidden\):.*must be set in production/);
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/APP_SECRET_KEY=\(hidden\):.*must be set in production/);
    expect(() =>
      validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), AUDIT_CHAIN_KEY: 'y'.repeat(40), APP_SECRET_KEY: 'z'.repeat(40) }),
    ).not.toThrow();
  });

  it('never prints a secret in its message', () => {
    expect(() =>
      validateEnvironment({ BOOTSTRAP_ADMIN_EMAIL: 'admin@un.example', BOOTSTRAP_ADMIN_PASSWORD: 'hunter2' }),
    ).toThrow(/BOOTSTRAP_ADMIN_PASSWORD=\(hidden\)/);
    expect(() => validateEnvironment({ DATABASE_URL: 'mysql://user:s3cret@host/db' })).not.toThrow(/s3cret/);
  });
});
