import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface MailboxOptions {
  /** Answer RCPT TO for this address with an SMTP error (550: a bounce, 451: try again later). */
  refuse?: (address: string) => { code: number; message: string } | undefined;
}

/** A real SMTP server in the test process: the service talks SMTP to it exactly as to a real relay. */
export class TestMailbox {
  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
    readonly messages: ReceivedMail[],
    /** Errors on client connections, such as a write to a worker killed mid-conversation (EPIPE). */
    readonly connectionErrors: Error[],
  ) {}

  static async start(options: MailboxOptions = {}): Promise<TestMailbox> {
    const messages: ReceivedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const refusal = options.refuse?.(address.address);
        if (!refusal) return callback();
        return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const headers: Record<string, string> = {};
            for (const [key, value] of parsed.headers) headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
            messages.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              messageId: parsed.messageId ?? '',
              headers,
            });
            callback();
          })
          .catch(callback);
      },
    });
    // A relay outlives its clients: a connection that breaks (the worker SIGKILLed by the
    // at-least-once test while its RCPT answer is being written) is recorded, as a real relay
    // would log it. Without a listener the emitter throws it into the test process.
    const connectionErrors: Error[] = [];
    server.on('error', (error) => connectionErrors.push(error));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    return new TestMailbox(server, `smtp://127.0.0.1:${port}`, messages, connectionErrors);
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  clear(): void {
    this.messages.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The acknowledgement link's token, as a person would find it in the mail. */
export function acknowledgementToken(mail: ReceivedMail): string {
  const match = /\/api\/v1\/public\/acknowledgements\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`No acknowledgement link in: ${mail.text}`);
  return match[1];
}

export function invitationToken(mail: ReceivedMail): string {
  const match = /\b(inv_[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`No invitation code in: ${mail.text}`);
  return match[1];
}
