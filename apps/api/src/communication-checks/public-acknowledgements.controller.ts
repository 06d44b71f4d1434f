import { applyDecorators, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@cbm/auth';
import { DomainError, PROBLEM_JSON, ProblemDetails, titleFor } from '@cbm/common';
import { chooseLanguage, Language } from '../localization';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { acknowledgedPage, confirmationPage, unusableLinkPage } from './acknowledgement-pages';
import { CommunicationChecksService } from './communication-checks.service';
import { AcknowledgementTokenParam } from './dto/acknowledgement.dto';
import { AcknowledgementResponse } from './dto/communication-check.response';

const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } };
const PROBLEM = { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDetails) } } };

/** An unusable link: the page says so in HTML to a browser, problem+json to an API client (`only` narrows it). */
function ApiUnusableLinkResponses(only?: 'html'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...[404, 410].map((status) => ApiResponse({ status, description: titleFor(status), content: only === 'html' ? HTML_PAGE : { ...PROBLEM, ...HTML_PAGE } })),
  );
}

/** The links in communication-check mails: no sign-in, the token is the credential (stored hashed). */
@ApiTags('Public')
@Controller('public/acknowledgements')
export class PublicAcknowledgementsController {
  constructor(private readonly checks: CommunicationChecksService) {}

  /** The confirmation page (HTML), in the contact's language, else the browser's, else English. Opening it records nothing: mail scanners follow links. */
  @Get(':token')
  @Public()
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A page with a Confirm button', content: HTML_PAGE })
  @ApiUnusableLinkResponses('html')
  @ApiProblemResponses(400)
  async page(@Param() params: AcknowledgementTokenParam, @Req() request: Request, @Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Vary', 'Accept-Language');
    try {
      const view = await this.checks.describeToken(params.token);
      const language = chooseLanguage(view.languages, request.headers['accept-language']);
      response.type('html').set('Content-Language', language).send(confirmationPage(language, view, `/api/v1/public/acknowledgements/${encodeURIComponent(params.token)}`));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const language = await this.readerLanguage(params.token, request);
      response.status(error.status).type('html').set('Content-Language', language).send(unusableLinkPage(language, error.code));
    }
  }

  /** Records the confirmation, once: a reused link → 410 ACKNOWLEDGEMENT_USED, a closed check → 410 ACKNOWLEDGEMENT_EXPIRED. */
  @Post(':token')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Recorded; a page saying so when the form asked for HTML', content: { 'application/json': { schema: { $ref: getSchemaPath(AcknowledgementResponse) } }, ...HTML_PAGE } })
  @ApiExtraModels(AcknowledgementResponse)
  @ApiUnusableLinkResponses()
  @ApiProblemResponses(400)
  async acknowledge(@Param() params: AcknowledgementTokenParam, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<AcknowledgementResponse | void> {
    response.setHeader('Cache-Control', 'no-store');
    // The page's form asks for HTML; API clients get JSON and problem+json.
    const wantsHtml = request.accepts(['application/json', 'text/html']) === 'text/html';
    try {
      const acknowledged = await this.checks.acknowledge(params.token);
      if (!wantsHtml) return acknowledged;
      const language = await this.readerLanguage(params.token, request);
      response.type('html').set('Content-Language', language).send(acknowledgedPage(language, acknowledged.contactName));
    } catch (error) {
      if (!wantsHtml || !(error instanceof DomainError)) throw error;
      const language = await this.readerLanguage(params.token, request);
      response.status(error.status).type('html').set('Content-Language', language).send(unusableLinkPage(language, error.code));
    }
  }

  private async readerLanguage(token: string, request: Request): Promise<Language> {
    const reader = await this.checks.readerOfToken(token);
    return chooseLanguage(reader?.languages ?? [], request.headers['accept-language']);
  }
}
