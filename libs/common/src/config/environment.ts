import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';

export enum NodeEnvironment {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

export enum LogLevel {
  Fatal = 'fatal',
  Error = 'error',
  Warn = 'warn',
  Info = 'info',
  Debug = 'debug',
  Trace = 'trace',
  Silent = 'silent',
}

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off', ''].includes(normalized)) return false;
  return value;
};
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

// applyDecorators applies in the order given; stacked decorators apply bottom-up. Each list below
// is that bottom-up order, so the checks run and report their messages as they did stacked.

/** An integer variable between `min` and `max`. */
const IntegerSetting = (min: number, max: number) => applyDecorators(Max(max), Min(min), IsInt(), Transform(toInteger));
/** true/false, 1/0, yes/no, on/off. */
const BooleanSetting = () => applyDecorators(IsBoolean(), Transform(toBoolean));
/** A key of 32+ characters: required in production, optional (with a development fallback) elsewhere. */
const ProductionSecret = (name: 'JWT_SECRET' | 'AUDIT_CHAIN_KEY' | 'APP_SECRET_KEY') =>
  applyDecorators(
    Length(32, 512, { message: 'must be 32 to 512 characters long' }),
    IsString({ message: 'must be set in production' }),
    ValidateIf((env: Environment) => env[name] !== undefined || env.NODE_ENV === NodeEnvironment.Production),
    Transform(emptyToUndefined),
  );

/** The urgencies of a request (the database's enum `Urgency`, which this library does not import). */
export type RequestUrgency = 'ROUTINE' | 'PRIORITY' | 'URGENT' | 'CRITICAL';

const DEFAULT_REQUEST_ACK_HOURS = 'CRITICAL=2,URGENT=12,PRIORITY=24,ROUTINE=72';

function ackHoursOf(setting: string): Partial<Record<RequestUrgency, number>> {
  return Object.fromEntries(
    setting.split(',').map((pair) => {
      const [urgency, hours] = pair.trim().split('=');
      return [urgency, Number(hours)];
    }),
  );
}

/**
 * REQUEST_ACK_HOURS as hours by urgency: an urgency the setting leaves out keeps its default
 * (`URGENT=6` changes URGENT only).
 */
export function requestAckHours(setting: string): Record<RequestUrgency, number> {
  return { ...(ackHoursOf(DEFAULT_REQUEST_ACK_HOURS) as Record<RequestUrgency, number>), ...ackHoursOf(setting) };
}

/**
 * Every setting the service reads, with its default. The README's configuration table mirrors this
 * class; a bad value stops the process at start-up with a message that names the variable.
 */
export class Environment {
  @IsEnum(NodeEnvironment)
  NODE_ENV: NodeEnvironment = NodeEnvironment.Development;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  HOST = '127.0.0.1';

  @IntegerSetting(0, 65535)
  PORT = 3000;

  /** Unset: an embedded PostgreSQL is started with its data in EMBEDDED_POSTGRES_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgresql:// connection URL' })
  DATABASE_URL?: string;

  @IntegerSetting(1, 65535)
  EMBEDDED_POSTGRES_PORT = 54329;

  @IsString()
  EMBEDDED_POSTGRES_DIR = '.data/postgres';

  @IntegerSetting(1, 200)
  DATABASE_POOL_SIZE = 10;

  /** How long a request waits for a free connection (or a new one) before it is answered 503. */
  @IntegerSetting(100, 120_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  @IntegerSetting(100, 600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 15_000;

  /** Apply pending migrations before the API starts (off when the deployment runs them itself). */
  @BooleanSetting()
  MIGRATE_ON_START = true;

  /** Memory for the read cache of the directory and disclosure lists; 0 turns it off (every answer from PostgreSQL). */
  @IntegerSetting(0, 1024)
  READ_CACHE_MB = 16;

  @IntegerSetting(1024, 50 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Comma-separated allowed origins; empty turns CORS off. */
  @IsString()
  CORS_ORIGINS = '';

  @BooleanSetting()
  SWAGGER_ENABLED = true;

  @BooleanSetting()
  METRICS_ENABLED = true;

  /** Trust X-Forwarded-For from this many proxy hops (0: use the socket address). */
  @IntegerSetting(0, 10)
  TRUST_PROXY_HOPS = 0;

  @IsEnum(LogLevel)
  LOG_LEVEL: LogLevel = LogLevel.Info;

  @BooleanSetting()
  LOG_PRETTY = false;

  /** How long a SIGTERM waits for in-flight requests before the process exits anyway. */
  @IntegerSetting(0, 300_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Signs access tokens (HS256). Required in production; elsewhere a random one is made per process
   * (tokens then end with the process).
   */
  @ProductionSecret('JWT_SECRET')
  JWT_SECRET?: string;

  @IntegerSetting(60, 3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /**
   * Keys the audit log's hash chain (HMAC-SHA-256), so that write access to the database alone does
   * not let anyone rewrite history and recompute the chain. Keep it outside the database and never
   * change it: events chained under another key no longer verify. Required in production; a local
   * installation with the embedded database keeps one in .data/; elsewhere a fixed development key is used.
   */
  @ProductionSecret('AUDIT_CHAIN_KEY')
  AUDIT_CHAIN_KEY?: string;

  /** Absolute lifetime of a sign-in; refresh tokens rotate within it. */
  @IntegerSetting(1, 24 * 90)
  SESSION_TTL_HOURS = 168;

  /** Roles that must use a second factor (comma-separated); empty turns the requirement off. */
  @Matches(/^\s*((PLATFORM_ADMIN|STATE_ADMIN|STATE_OFFICER|STATE_VIEWER)\s*(,\s*|$))*$/, {
    message: 'must be a comma-separated list of PLATFORM_ADMIN, STATE_ADMIN, STATE_OFFICER, STATE_VIEWER',
  })
  MFA_REQUIRED_ROLES = 'PLATFORM_ADMIN';

  /** Name shown in authenticator apps. */
  @IsString()
  @Length(1, 64)
  MFA_ISSUER = 'CBM Registry';

  /** Consecutive failed sign-ins after which an account is locked for LOGIN_LOCKOUT_MINUTES. */
  @IntegerSetting(1, 100)
  LOGIN_MAX_FAILURES = 5;

  @IntegerSetting(1, 24 * 60)
  LOGIN_LOCKOUT_MINUTES = 15;

  /** Sign-in attempts (password, second factor, refresh, invitation, password reset) per client address per minute. */
  @IntegerSetting(1, 10_000)
  AUTH_RATE_LIMIT_PER_MINUTE = 20;

  @IntegerSetting(1, 24 * 30)
  INVITATION_TTL_HOURS = 72;

  /** Lifetime of a mailed password reset link: short, since whoever reads the mailbox can use it. */
  @IntegerSetting(5, 24 * 60)
  PASSWORD_RESET_TTL_MINUTES = 30;

  @IntegerSetting(1, 3650)
  API_KEY_MAX_TTL_DAYS = 365;

  /** Hours a recipient has to acknowledge a request, by urgency (read with `requestAckHours`). */
  @Matches(/^\s*(ROUTINE|PRIORITY|URGENT|CRITICAL)=\d{1,4}(\s*,\s*(ROUTINE|PRIORITY|URGENT|CRITICAL)=\d{1,4})*\s*$/, {
    message: 'must look like CRITICAL=2,URGENT=12,PRIORITY=24,ROUTINE=72',
  })
  REQUEST_ACK_HOURS = DEFAULT_REQUEST_ACK_HOURS;

  /** A directory entry not verified for this many days is stale. */
  @IntegerSetting(1, 3650)
  DIRECTORY_STALE_AFTER_DAYS = 180;

  /**
   * Derives the keys behind acknowledgement links and the encryption of webhook secrets at rest.
   * Required in production; kept in .data/ with the embedded database; a fixed development key otherwise.
   */
  @ProductionSecret('APP_SECRET_KEY')
  APP_SECRET_KEY?: string;

  /** Where people reach the service: the base of links in mail (acknowledgements, invitations). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s) URL' })
  PUBLIC_BASE_URL?: string;

  /** smtp(s)://user:pass@host:port; unset: mail is written to the log instead of being sent. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  @Length(3, 254)
  MAIL_FROM = 'CBM Registry <no-reply@cbm-registry.invalid>';

  /** Run the notification worker (outbox delivery, deadline reminders, check windows) in this process. */
  @BooleanSetting()
  NOTIFICATION_WORKER_ENABLED = true;

  @IntegerSetting(50, 60_000)
  NOTIFICATION_POLL_INTERVAL_MS = 1000;

  /** Attempts before a notification is marked FAILED (and its contact counts as stale). */
  @IntegerSetting(1, 50)
  NOTIFICATION_MAX_ATTEMPTS = 8;

  /** First retry delay; doubled on every further attempt, up to six hours. */
  @IntegerSetting(0, 3600)
  NOTIFICATION_RETRY_BASE_SECONDS = 30;

  /** How long a worker owns the notifications it claimed; after a crash, another takes them over then. */
  @IntegerSetting(1, 3600)
  NOTIFICATION_LEASE_SECONDS = 60;

  /** Per SMTP or webhook delivery. */
  @IntegerSetting(100, 120_000)
  DELIVERY_TIMEOUT_MS = 10_000;

  /**
   * Let webhooks point at loopback and private addresses. Off by default: otherwise a State
   * administrator could make the service call into the network it runs in (SSRF).
   */
  @BooleanSetting()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.BOOTSTRAP_ADMIN_PASSWORD !== undefined || env.BOOTSTRAP_ADMIN_EMAIL !== undefined)
  @IsEmail({}, { message: 'must be an email address (required when BOOTSTRAP_ADMIN_PASSWORD is set)' })
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.BOOTSTRAP_ADMIN_EMAIL !== undefined || env.BOOTSTRAP_ADMIN_PASSWORD !== undefined)
  @IsString({ message: 'must be set when BOOTSTRAP_ADMIN_EMAIL is set' })
  @Length(12, 128, { message: 'must be 12 to 128 characters long' })
  BOOTSTRAP_ADMIN_PASSWORD?: string;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Used by ConfigModule.forRoot({ validate }): unknown variables are ignored, known ones checked. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.fromEntries(
    Object.keys(new Environment()).concat('DATABASE_URL', 'JWT_SECRET', 'AUDIT_CHAIN_KEY', 'APP_SECRET_KEY', 'PUBLIC_BASE_URL', 'SMTP_URL', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD')
      .filter((key) => raw[key] !== undefined)
      .map((key) => [key, raw[key]]),
  );
  const environment = plainToInstance(Environment, known, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map((error) => {
        const secret = /PASSWORD|SECRET|KEY/.test(error.property) || ['DATABASE_URL', 'SMTP_URL'].includes(error.property);
        const shown = secret ? '(hidden)' : JSON.stringify(error.value);
        return `${error.property}=${shown}: ${Object.values(error.constraints ?? {}).join('; ')}`;
      }),
    );
  }
  return environment;
}

/** Used when AUDIT_CHAIN_KEY is unset outside production (tests, trials on one's own database). */
export const DEVELOPMENT_AUDIT_CHAIN_KEY = 'cbm-registry development audit chain key, not for production';
export const DEVELOPMENT_APP_SECRET_KEY = 'cbm-registry development application secret key, not for production';

/** The roles listed in MFA_REQUIRED_ROLES. */
export function mfaRequiredRoles(environment: Environment): Set<string> {
  return new Set(environment.MFA_REQUIRED_ROLES.split(',').map((role) => role.trim()).filter(Boolean));
}
