import { Injectable } from '@nestjs/common';
import { DeadlinesRepository } from './deadlines.repository';

/**
 * Time-driven events: reminders when a quarter of a request's acknowledgement or answer window is
 * left, overdue notices (to the late recipient and to the requester) once it has passed, and the
 * reminders and close of communication checks. Every notice goes out exactly once, also with several
 * workers: each statement marks what it handles (see DeadlinesRepository).
 */
@Injectable()
export class DeadlineScheduler {
  constructor(private readonly deadlines: DeadlinesRepository) {}

  /** Returns how many outbox events were written. */
  async runDue(): Promise<number> {
    let written = 0;
    written += await this.deadlines.remindDeadline('acknowledgement');
    written += await this.deadlines.noticeMissedDeadline('acknowledgement');
    written += await this.deadlines.remindDeadline('response');
    written += await this.deadlines.noticeMissedDeadline('response');
    written += await this.deadlines.remindCommunicationChecks();
    await this.closeEndedChecks();
    return written;
  }

  /** Contacts that did not answer within the window become UNRESPONSIVE; `checkId` closes one early. */
  closeEndedChecks(checkId?: string): Promise<number> {
    return this.deadlines.closeEndedChecks(checkId);
  }
}
