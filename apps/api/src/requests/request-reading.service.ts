import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, KeysetCursor, pageLimit, toPage } from '@cbm/common';
import { RecipientStatus } from '@cbm/database';
import { ListRequestsQuery } from './dto/request.dto';
import { toRequestMetadataResponse, toRequestResponse } from './dto/request.mappers';
import { RequestListResponse, RequestMetadataResponse, RequestResponse, RequestStatsResponse } from './dto/request.response';
import { requestReaderOf } from './request-reader';
import { RequestsRepository } from './requests.repository';

/** Request lists are sorted by (createdAt, id), newest first. */
const REQUEST_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

/**
 * Reading requests. Contents (description, indicators, answers) are for the requester's and the
 * recipients' users; the secretariat sees metadata; anyone else gets 404.
 */
@Injectable()
export class RequestReadingService {
  constructor(private readonly requests: RequestsRepository) {}

  async list(actor: Actor, query: ListRequestsQuery): Promise<RequestListResponse> {
    const reader = requestReaderOf(actor);
    const now = new Date();
    const before = query.cursor ? REQUEST_CURSOR.decode(query.cursor) : undefined;
    const rows = await this.requests.findPage(
      reader,
      {
        direction: query.direction,
        type: query.type,
        status: query.status,
        urgency: query.urgency,
        overdue: query.overdue,
        now,
        before: before ? { createdAt: before[0], id: before[1] } : undefined,
      },
      pageLimit(query.limit),
    );
    return toPage(
      rows,
      query.limit,
      (request) => (reader.kind === 'state' ? toRequestResponse(request, reader.stateCode, undefined, now) : toRequestMetadataResponse(request, now)),
      (last) => REQUEST_CURSOR.encode(last.createdAt, last.id),
    );
  }

  async get(actor: Actor, id: string): Promise<RequestResponse | RequestMetadataResponse> {
    const reader = requestReaderOf(actor);
    const request = await this.requests.findVisible(reader, id);
    if (!request) throw DomainError.notFound('Request');
    if (reader.kind !== 'state') return toRequestMetadataResponse(request);
    const [transitions, capacityNeeds] = await Promise.all([this.requests.transitions(id), this.requests.capacityNeedsOf(id, reader.stateCode)]);
    return toRequestResponse(request, reader.stateCode, transitions, new Date(), capacityNeeds);
  }

  async stats(actor: Actor): Promise<RequestStatsResponse> {
    const reader = requestReaderOf(actor);
    const { durations, byStatus, byType, capacity } = await this.requests.stats(reader);
    const round = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));
    return {
      stateCode: reader.kind === 'state' ? reader.stateCode : null,
      byType: Object.fromEntries(byType.map((row) => [row.type, row.count])),
      byStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
      timeToAcknowledge: { median: round(durations?.ackMedian), p90: round(durations?.ackP90) },
      timeToAnswer: { median: round(durations?.answerMedian), p90: round(durations?.answerP90) },
      unableCapacity: byStatus.find((row) => row.status === RecipientStatus.UNABLE_CAPACITY)?.count ?? 0,
      unableCapacityNeeds: { opened: capacity?.needsOpened ?? 0, fulfilled: capacity?.needsFulfilled ?? 0 },
    };
  }
}
