import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DEVELOPMENT_AUDIT_CHAIN_KEY, Environment } from '@cbm/common';
import { AuditRepository } from './audit.repository';

const BATCH_SIZE = 500;
/**
 * The journal is a queue (a row per filing, deleted milliseconds later): its dead rows pile up at
 * the head of its index, where every pass starts reading. After this many moved rows the sweep
 * vacuums it (milliseconds for a table of dead rows), whatever autovacuum's schedule; a database
 * role that does not own the table gets a warning, not an error, and autovacuum's turn.
 */
const VACUUM_AFTER_MOVED = 2_000;
/** How often a process looks for journaled events nobody chained (their change's process died first). */
const SWEEP_INTERVAL_MS = 5_000;

/**
 * Moves journaled audit events into the hash chain. A change that journals its event calls
 * `chainCommitted()` once it has committed and answers after its event is in the chain; calls that
 * arrive while a pass runs share the next one, so under load one turn of the chain's lock serves many
 * changes. Events whose chaining failed (the database went away after the commit) stay journaled
 * until the sweep or the next pass moves them: they are never lost, only late.
 */
@Injectable()
export class AuditChainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditChainer.name);
  /** AUDIT_CHAIN_KEY: the chain's HMAC key, also for the appends and the verification of AuditService. */
  readonly chainKey: string;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private movedSinceVacuum = 0;

  constructor(
    private readonly audit: AuditRepository,
    config: ConfigService<Environment, true>,
  ) {
    this.chainKey = config.get('AUDIT_CHAIN_KEY', { infer: true }) ?? DEVELOPMENT_AUDIT_CHAIN_KEY;
  }

  onApplicationBootstrap(): void {
    this.sweep = setInterval(() => void this.sweepJournal(), SWEEP_INTERVAL_MS);
    this.sweep.unref();
    void this.sweepJournal();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.allSettled([this.running, this.next]);
  }

  /**
   * Resolves once a pass that began after this call has emptied the journal: everything committed
   * before the call is then in the chain. A pass already running may have read the journal before
   * the caller's commit, so the caller waits for the one after it.
   */
  chainCommitted(): Promise<void> {
    if (!this.running) return this.startPass();
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.startPass();
      });
    return this.next;
  }

  private startPass(): Promise<void> {
    const pass = this.drain().finally(() => {
      if (this.running === pass) this.running = undefined;
    });
    this.running = pass;
    return pass;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const moved = await this.audit.chainJournal(this.chainKey, BATCH_SIZE);
      this.movedSinceVacuum += moved;
      // A full batch: there may be more.
      if (moved < BATCH_SIZE) return;
    }
  }

  /**
   * Chains whatever waits in the journal, if anything does: a probe without the chain's lock first,
   * so readers of the log and the sweep take no turn of the lock when the journal is empty.
   */
  async chainPending(): Promise<void> {
    if (!(await this.audit.journalIsEmpty())) await this.chainCommitted();
  }

  private async sweepJournal(): Promise<void> {
    try {
      await this.chainPending();
      if (this.movedSinceVacuum >= VACUUM_AFTER_MOVED) {
        this.movedSinceVacuum = 0;
        await this.audit.vacuumJournal();
      }
    } catch (error) {
      this.logger.warn(`Audit journal sweep failed, retrying in ${SWEEP_INTERVAL_MS} ms: ${String(error)}`);
    }
  }
}
