import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { createSecretKey, randomBytes } from 'node:crypto';
import { Environment, NodeEnvironment } from '@cbm/common';
import { AccessGuard } from './access.guard';
import { ActorResolver } from './actor-resolver';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { CredentialsRepository } from './credentials.repository';
import { CurrentAccountService } from './current-account.service';
import { AccountLinkTokens } from './account-link-tokens';
import { InvitationService } from './invitation.service';
import { MfaEnrolmentService } from './mfa-enrolment.service';
import { MfaPolicy } from './mfa-policy';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './password.service';
import { PublicAccountLinksController } from './public-account-links.controller';
import { RateLimitModule } from './rate-limit.module';
import { RateLimitRepository } from './rate-limit.repository';
import { SignInAttempts } from './sign-in-attempts.service';
import { SignInService } from './sign-in.service';
import { AccessTokenStrategy } from './strategies/access-token.strategy';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { TOKEN_ALGORITHM, TokenService } from './token.service';

@Module({})
export class AuthModule {
  static register(environment: Environment): DynamicModule {
    let secret = environment.JWT_SECRET;
    if (!secret) {
      // Validation requires JWT_SECRET in production; elsewhere tokens simply end with the process.
      secret = randomBytes(48).toString('base64');
      if (environment.NODE_ENV !== NodeEnvironment.Test) {
        new Logger('AuthModule').warn('JWT_SECRET is not set: using a random one, so sign-ins end when the process stops');
      }
    }
    // A KeyObject, made once: given the text, jsonwebtoken first tries it as a PEM public key (an
    // exception) and then wraps it, on every sign and verify — 9% of the API's CPU under load.
    const signingKey = createSecretKey(Buffer.from(secret, 'utf8'));
    return {
      module: AuthModule,
      global: true,
      imports: [
        PassportModule.register({ session: false }),
        JwtModule.register({ secret: signingKey, signOptions: { algorithm: TOKEN_ALGORITHM }, verifyOptions: { algorithms: [TOKEN_ALGORITHM] } }),
        ThrottlerModule.forRootAsync({
          imports: [RateLimitModule],
          inject: [RateLimitRepository],
          useFactory: (hits: RateLimitRepository) => ({
            throttlers: [{ ttl: 60_000, limit: environment.AUTH_RATE_LIMIT_PER_MINUTE }],
            storage: new PostgresThrottlerStorage(hits),
          }),
        }),
      ],
      controllers: [AuthController, PublicAccountLinksController],
      providers: [
        SignInService,
        SignInAttempts,
        PasswordService,
        PasswordResetService,
        MfaEnrolmentService,
        InvitationService,
        AccountLinkTokens,
        CurrentAccountService,
        AuthRepository,
        CredentialsRepository,
        TokenService,
        MfaPolicy,
        ActorResolver,
        AccessTokenStrategy,
        ApiKeyStrategy,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [InvitationService, MfaPolicy],
    };
  }
}
