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

export class PermanentDeliveryError extends Error {}

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

  /** Resolves with the server's reply; rejects with PermanentDeliveryError on a 5xx (a bounce). */
  async send(mail: OutgoingMail): Promise<string> {
    if (!this.transport) {
      this.logger.log({ to: mail.to, subject: mail.subject, messageId: mail.messageId, text: mail.text }, `Mail (no SMTP_URL, not sent): ${mail.subject}`);
      return 'written to the log (SMTP_URL is not set)';
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
      return String(info.response ?? 'accepted');
    } catch (error) {
      const failure = error as Error & { responseCode?: number; permanent?: boolean };
      if (failure.permanent || (failure.responseCode !== undefined && failure.responseCode >= 500)) {
        throw new PermanentDeliveryError(failure.message);
      }
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
