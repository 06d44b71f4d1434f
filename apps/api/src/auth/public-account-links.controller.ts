import { applyDecorators, Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '@cbm/auth';
import { DomainError, Environment, ErrorCode } from '@cbm/common';
import { chooseLanguage, Language } from '../localization';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { AccountLinkView } from './account-link';
import { AccountLinkKind, invalidAccountLinkPage, PasswordProblem, passwordFormPage, passwordSetPage } from './account-link-pages';
import { AccountLinkTokenParam, PasswordFormDto } from './dto/account-link.dto';
import { InvitationService } from './invitation.service';
import { PasswordResetService } from './password-reset.service';
import { brokenPasswordRule } from './password-policy';

const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } };
const FORM_BODY = {
  type: 'object',
  required: ['password', 'passwordConfirmation'],
  properties: { password: { type: 'string', maxLength: 1024 }, passwordConfirmation: { type: 'string', maxLength: 1024 } },
};

const LINK_GONE = { status: 404, description: 'The link is unknown, used or expired (one page for all)', content: HTML_PAGE };

/** A page behind a mailed link, as OpenAPI shows it: HTML, and one page for any link that no longer opens. */
function AccountLinkPage(description: string) {
  return applyDecorators(ApiProduces('text/html'), ApiOkResponse({ description, content: HTML_PAGE }), ApiResponse(LINK_GONE), ApiProblemResponses(400));
}

/** The POST of such a page's form: throttled, form-encoded, answered with a page (the form again when a rule is broken). */
function AccountLinkForm(description: string) {
  return applyDecorators(
    UseGuards(ThrottlerGuard),
    HttpCode(HttpStatus.OK),
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiBody({ schema: FORM_BODY }),
    ApiProduces('text/html'),
    ApiOkResponse({ description, content: HTML_PAGE }),
    ApiResponse({ status: 400, description: 'The form again, naming the rule the password breaks', content: HTML_PAGE }),
    ApiResponse(LINK_GONE),
    ApiProblemResponses(400, 429),
  );
}

/**
 * The pages behind the links in invitation and password reset mails: no sign-in, the token is the
 * credential (only its hash is stored). Opening a page changes nothing; its form's POST sets the
 * password. Each page speaks the user's preferred language, else the browser's, else English.
 */
@ApiTags('Public')
@Controller('public')
export class PublicAccountLinksController {
  private readonly baseUrl?: string;
  private readonly docsAvailable: boolean;

  constructor(
    private readonly invitations: InvitationService,
    private readonly resets: PasswordResetService,
    config: ConfigService<Environment, true>,
  ) {
    this.baseUrl = config.get('PUBLIC_BASE_URL', { infer: true })?.replace(/\/+$/, '');
    this.docsAvailable = config.get('SWAGGER_ENABLED', { infer: true });
  }

  /** The invitation page: the password rules and a form to set the first password. */
  @Get('invitations/:token')
  @Public()
  @AccountLinkPage('The password rules and a form')
  async invitationPage(@Param() params: AccountLinkTokenParam, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.showForm('invitation', await this.invitations.describeInvitation(params.token), params.token, request, response);
  }

  /** Sets the first password (once), then says how to sign in and, where the role requires it, how to enrol a second factor. */
  @Post('invitations/:token')
  @Public()
  @AccountLinkForm('The password is set: how to sign in')
  async acceptInvitation(@Param() params: AccountLinkTokenParam, @Body() body: PasswordFormDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const view = await this.invitations.describeInvitation(params.token);
    await this.setPassword('invitation', view, params.token, body, request, response, () => this.invitations.acceptInvitation(params.token, body.password));
  }

  /** The password reset page: the password rules and a form to set a new password. */
  @Get('password-resets/:token')
  @Public()
  @AccountLinkPage('The password rules and a form')
  async passwordResetPage(@Param() params: AccountLinkTokenParam, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.showForm('reset', await this.resets.describeReset(params.token), params.token, request, response);
  }

  /** Sets the new password (once) and ends every session of the account. */
  @Post('password-resets/:token')
  @Public()
  @AccountLinkForm('The password is changed and every session ended: how to sign in')
  async resetPassword(@Param() params: AccountLinkTokenParam, @Body() body: PasswordFormDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const view = await this.resets.describeReset(params.token);
    await this.setPassword('reset', view, params.token, body, request, response, () => this.resets.resetPassword(params.token, body.password));
  }

  private showForm(kind: AccountLinkKind, view: AccountLinkView | null, token: string, request: Request, response: Response): void {
    const language = this.languageOf(view, request);
    if (!view) return send(response, HttpStatus.NOT_FOUND, language, invalidAccountLinkPage(language, kind));
    send(response, HttpStatus.OK, language, passwordFormPage(language, kind, view, actionOf(kind, token)));
  }

  private async setPassword(
    kind: AccountLinkKind,
    view: AccountLinkView | null,
    token: string,
    body: PasswordFormDto,
    request: Request,
    response: Response,
    apply: () => Promise<void>,
  ): Promise<void> {
    const language = this.languageOf(view, request);
    if (!view) return send(response, HttpStatus.NOT_FOUND, language, invalidAccountLinkPage(language, kind));
    const problem: PasswordProblem | undefined =
      body.password !== body.passwordConfirmation ? 'mismatch' : brokenPasswordRule(body.password, { email: view.email });
    if (problem) return send(response, HttpStatus.BAD_REQUEST, language, passwordFormPage(language, kind, view, actionOf(kind, token), problem));
    try {
      await apply();
    } catch (error) {
      // Used meanwhile by a concurrent POST: the same page as any unusable link.
      if (error instanceof DomainError && error.code === ErrorCode.InvalidToken) {
        return send(response, HttpStatus.NOT_FOUND, language, invalidAccountLinkPage(language, kind));
      }
      throw error;
    }
    const baseUrl = this.baseUrl ?? `${request.protocol}://${request.get('host')}`;
    send(response, HttpStatus.OK, language, passwordSetPage(language, kind, view, { docsUrl: `${baseUrl}/docs`, loginUrl: `${baseUrl}/api/v1/auth/login`, docsAvailable: this.docsAvailable }));
  }

  private languageOf(view: AccountLinkView | null, request: Request): Language {
    return chooseLanguage([view?.preferredLanguage], request.headers['accept-language']);
  }
}

function actionOf(kind: AccountLinkKind, token: string): string {
  return `/api/v1/public/${kind === 'invitation' ? 'invitations' : 'password-resets'}/${encodeURIComponent(token)}`;
}

function send(response: Response, status: number, language: Language, html: string): void {
  response.status(status).setHeader('Cache-Control', 'no-store');
  response.setHeader('Vary', 'Accept-Language');
  response.type('html').set('Content-Language', language).send(html);
}
