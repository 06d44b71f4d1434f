export { AuthModule } from './auth.module';
export { InvitationService } from './invitation.service';
export { hashPassword } from './password-hasher';
export { assertAcceptablePassword, passwordProblems } from './password-policy';
export { API_KEY_PREFIX } from './strategies/api-key.strategy';
export { newOpaqueToken } from './token.service';
