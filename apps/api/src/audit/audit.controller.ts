import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { AuditEventListResponse, AuditVerificationResponse } from './dto/audit-event.response';
import { ListAuditEventsQuery } from './dto/list-audit-events.query.dto';
import { AuditService } from './audit.service';

@ApiTags('Audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Audit events, newest first. The secretariat sees all; a State's administrators see the events
   * by or about their State.
   */
  @Get()
  @Authorize(Permission.AuditRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListAuditEventsQuery): Promise<AuditEventListResponse> {
    return this.audit.list(actor, query);
  }

  /** Recomputes the whole hash chain and names the first broken link, if any. */
  @Get('verify')
  @Authorize(Permission.AuditVerify)
  verify(): Promise<AuditVerificationResponse> {
    return this.audit.verify();
  }
}
