import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { Environment } from '@cbm/common';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  /** Stable across retries (the notification id), so a receiver can drop a duplicate. */
  messageId: string;
  headers: Record<string, string>;
}

/** Retrying cannot help: the notification fails at once. */
export class PermanentDeliveryError extends Error {}

/** The receiving server refused every address for good (5xx to RCPT TO): a bounce, the contact is stale. */
export class RecipientsRejectedError extends PermanentDeliveryError {}

export interface MailOutcome {
  /** The server's reply. */
  reply: string;
  /** Addresses refused for good while others were accepted. */
  rejected: string[];
}

/**
 * SMTP through nodemailer when SMTP_URL is set (a pooled connection: a burst of notices does not
 * open one connection per mail). Without it, as with the embedded database on a newcomer's machine,
 * mails go to the log (links included, so the flows can be followed by hand) and are recorded as
 * delivered there.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport?: Mail;
  private readonly from: string;

  constructor(config: ConfigService<Environment, true>) {
    this.from = config.get('MAIL_FROM', { infer: true });
    const url = config.get('SMTP_URL', { infer: true });
    if (url) {
      const timeout = config.get('DELIVERY_TIMEOUT_MS', { infer: true });
      this.transport = createTransport({
        url,
        pool: true,
        maxConnections: 2,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      });
    }
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  /**
   * Resolves with the server's reply and any address refused while others were accepted. Rejects with
   * RecipientsRejectedError when every address was refused for good, PermanentDeliveryError when the
   * message itself was refused for good, and a plain error otherwise (retried: a server outage or a
   * wrong SMTP password is the relay's problem, never the contact's).
   */
  async send(mail: OutgoingMail): Promise<MailOutcome> {
    if (!this.transport) {
      this.logger.log({ to: mail.to, subject: mail.subject, messageId: mail.messageId, text: mail.text }, `Mail (no SMTP_URL, not sent): ${mail.subject}`);
      return { reply: 'written to the log (SMTP_URL is not set)', rejected: [] };
    }
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        // RFC 3834: out-of-office robots must not answer notices.
        headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
      });
      const refused = (info.rejectedErrors ?? []) as Array<{ responseCode?: number; recipient?: string }>;
      const permanentlyRefused = refused.filter((entry) => (entry.responseCode ?? 0) >= 500).map((entry) => String(entry.recipient));
      return { reply: String(info.response ?? 'accepted'), rejected: permanentlyRefused };
    } catch (error) {
      const failure = error as Error & { responseCode?: number; code?: string; command?: string };
      const permanent = failure.responseCode !== undefined && failure.responseCode >= 500;
      if (permanent && failure.code === 'EENVELOPE' && failure.command === 'RCPT TO') throw new RecipientsRejectedError(failure.message);
      if (permanent && failure.command === 'DATA') throw new PermanentDeliveryError(failure.message);
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
