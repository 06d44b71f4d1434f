import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { PrismaService } from '@cbm/database';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { createSecretKey, randomBytes } from 'node:crypto';
import { Environment, NodeEnvironment } from '@cbm/common';
import { AccessGuard } from './access.guard';
import { ActorResolver } from './actor-resolver';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { CredentialsRepository } from './credentials.repository';
import { MfaPolicy } from './mfa-policy';
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
          inject: [PrismaService],
          useFactory: (prisma: PrismaService) => ({
            throttlers: [{ ttl: 60_000, limit: environment.AUTH_RATE_LIMIT_PER_MINUTE }],
            storage: new PostgresThrottlerStorage(prisma),
          }),
        }),
      ],
      controllers: [AuthController],
      providers: [
        AuthService,
        AuthRepository,
        CredentialsRepository,
        TokenService,
        MfaPolicy,
        ActorResolver,
        AccessTokenStrategy,
        ApiKeyStrategy,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [AuthService, MfaPolicy],
    };
  }
}
