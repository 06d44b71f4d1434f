import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { ApiExampleBody, PROPOSAL_EXAMPLE } from '../../openapi/request-examples';
import { CapacityProposalsService } from './capacity-proposals.service';
import { CreateProposalDto, DeclineProposalDto, ListProposalsQuery } from './dto/capacity-proposal.dto';
import { NeedProposalsResponse, ProposalListResponse, ProposalResponse } from './dto/capacity-proposal.response';

/**
 * Proposals (paragraphs 33–39): a providing State answers a need it may see with a message and,
 * optionally, one of its open offers; the needing State accepts or declines. Seen by the two States
 * only: to anyone else a proposal does not exist (404).
 */
@ApiTags('Capacity-building')
@Controller('capacity')
export class CapacityProposalsController {
  constructor(private readonly proposals: CapacityProposalsService) {}

  /** Proposes help on another State's OPEN need (one proposal per State and need). */
  @Post('needs/:id/proposals')
  @Authorize(Permission.CapacityWrite)
  @ApiExampleBody(CreateProposalDto, 'A course proposed for a need', PROPOSAL_EXAMPLE)
  @ApiProblemResponses(400, 404, 409)
  propose(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CreateProposalDto): Promise<ProposalResponse> {
    return this.proposals.propose(actor, params.id, body);
  }

  /** All proposals on the caller's own need; on another State's need, the caller's own proposal. */
  @Get('needs/:id/proposals')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  listForNeed(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<NeedProposalsResponse> {
    return this.proposals.listForNeed(actor, params.id);
  }

  /** Proposals the caller's State received (side=needing) or made (side=providing), newest first. */
  @Get('proposals')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListProposalsQuery): Promise<ProposalListResponse> {
    return this.proposals.list(actor, query);
  }

  /** One proposal, for the needing and the providing State only. */
  @Get('proposals/:id')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ProposalResponse> {
    return this.proposals.get(actor, params.id);
  }

  /** The needing State accepts a PENDING proposal: an engagement starts and the need is IN_PROGRESS. */
  @Post('proposals/:id/accept')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 403, 404, 409)
  accept(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ProposalResponse> {
    return this.proposals.accept(actor, params.id);
  }

  /** The needing State declines a PENDING proposal; the reason, if given, is sent to the provider. */
  @Post('proposals/:id/decline')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 403, 404, 409)
  decline(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: DeclineProposalDto): Promise<ProposalResponse> {
    return this.proposals.decline(actor, params.id, body);
  }

  /** The provider withdraws its PENDING proposal. */
  @Post('proposals/:id/withdraw')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 403, 404, 409)
  withdraw(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ProposalResponse> {
    return this.proposals.withdraw(actor, params.id);
  }
}
