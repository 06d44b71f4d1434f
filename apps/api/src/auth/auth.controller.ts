import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Actor, Authenticated, CurrentActor, Public } from '@cbm/auth';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { CurrentAccountService } from './current-account.service';
import { PasswordResetRequestDto } from './dto/account-link.dto';
import { AcceptInvitationDto, ChangePasswordDto, LoginDto, MfaConfirmDto, MfaVerifyDto, NotificationPreferencesDto, RefreshDto } from './dto/auth.dto';
import { LoginResponse, MeResponse, MfaEnrolmentResponse, RecoveryCodesResponse, TokenPairResponse } from './dto/auth.response';
import { InvitationService } from './invitation.service';
import { MfaEnrolmentService } from './mfa-enrolment.service';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './password.service';
import { SignInService } from './sign-in.service';

/**
 * Sign-in with password and, where required, a TOTP second factor. In Swagger UI: login → (if
 * `mfaRequired`) mfa/verify → copy `accessToken` into Authorize.
 */
@ApiTags('Authentication')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly account: CurrentAccountService,
    private readonly passwords: PasswordService,
    private readonly invitations: InvitationService,
    private readonly mfaEnrolment: MfaEnrolmentService,
    private readonly passwordResets: PasswordResetService,
  ) {}

  /** Password step. Answers tokens, or `mfaRequired` with an `mfaToken` for the second step. */
  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 401, 429)
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.signIn.login(body.email, body.password);
  }

  /** Second step: a code from the authenticator app or a one-time recovery code. */
  @Post('mfa/verify')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 401, 429)
  verifySecondFactor(@Body() body: MfaVerifyDto): Promise<TokenPairResponse> {
    return this.signIn.verifySecondFactor(body.mfaToken, body.code);
  }

  /** Exchanges a refresh token (once) for a new pair. A reused refresh token ends its whole session. */
  @Post('refresh')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 401, 429)
  refresh(@Body() body: RefreshDto): Promise<TokenPairResponse> {
    return this.signIn.refresh(body.refreshToken);
  }

  /** Ends the current session: its access and refresh tokens stop working at once. */
  @Post('logout')
  @Authenticated({ allowDuringMfaEnrolment: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.signIn.logout(actor);
  }

  /** Who the credential belongs to, and what it may do. */
  @Get('me')
  @Authenticated({ allowDuringMfaEnrolment: true })
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.account.me(actor);
  }

  /**
   * Opt in to (or out of) mail about requests involving your State, and choose the language of your
   * mail and pages (`preferredLanguage`; omitted: unchanged; null: your browser's, else English).
   */
  @Put('me/notification-preferences')
  @Authenticated()
  @ApiProblemResponses(400, 403)
  setNotificationPreferences(@CurrentActor() actor: Actor, @Body() body: NotificationPreferencesDto): Promise<MeResponse> {
    return this.account.setNotificationPreferences(actor, body.notifyByEmail, body.preferredLanguage);
  }

  /** Changes one's password (the current one is required); other sessions are ended. */
  @Post('password')
  @Authenticated()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblemResponses(400, 403, 429)
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    return this.passwords.changePassword(actor, body.currentPassword, body.newPassword);
  }

  /** An invited user sets their first password with the invitation token (single use, expiring). */
  @Post('invitations/accept')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblemResponses(400, 429)
  acceptInvitation(@Body() body: AcceptInvitationDto): Promise<void> {
    return this.invitations.acceptInvitation(body.token, body.password);
  }

  /**
   * A forgotten password: mails a single-use link (valid PASSWORD_RESET_TTL_MINUTES) to a page that
   * sets a new one. The same 202, in about the same time, whether or not the address has an account;
   * disabled accounts get no mail.
   */
  @Post('password-reset')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ description: 'If the address belongs to an account that may sign in, a link is on its way' })
  @ApiProblemResponses(400, 429)
  requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<void> {
    return this.passwordResets.requestReset(body.email);
  }

  /** Starts enrolling a TOTP authenticator: returns the secret and an otpauth:// URI (QR code). */
  @Post('mfa/enrolment')
  @Authenticated({ allowDuringMfaEnrolment: true })
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(403, 409)
  startMfaEnrolment(@CurrentActor() actor: Actor): Promise<MfaEnrolmentResponse> {
    return this.mfaEnrolment.startMfaEnrolment(actor);
  }

  /** Confirms enrolment with a current code; answers ten recovery codes, shown this once. */
  @Post('mfa/enrolment/confirm')
  @Authenticated({ allowDuringMfaEnrolment: true })
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 403, 409)
  confirmMfaEnrolment(@CurrentActor() actor: Actor, @Body() body: MfaConfirmDto): Promise<RecoveryCodesResponse> {
    return this.mfaEnrolment.confirmMfaEnrolment(actor, body.code);
  }
}
