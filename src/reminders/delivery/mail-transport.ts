import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../../config/configuration';
import { PermanentDeliveryError } from './delivery-errors';
import { OutgoingMessage } from './message';

/**
 * E-mail over SMTP (nodemailer). The Message-ID is derived from the ledger id, so a message sent
 * twice (a worker killed right after the server accepted it) can be recognised as one.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private transporter: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(message: OutgoingMessage): Promise<void> {
    const transporter = this.get();
    try {
      await transporter.sendMail({
        from: this.config.smtp.from,
        to: message.toName ? { name: message.toName, address: message.to } : message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdFor(message.reminderId),
        headers: { 'X-Custode-Reference': message.reference, 'Auto-Submitted': 'auto-generated' },
        disableUrlAccess: true,
        disableFileAccess: true,
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx: the server refuses for good (unknown mailbox, policy); retrying would not help.
      if (typeof code === 'number' && code >= 500 && code < 600)
        throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }

  private get(): Transporter {
    if (!this.config.smtp.url) throw new PermanentDeliveryError('e-mail is not configured (SMTP_URL)');
    // The URL goes inside the options: `createTransport(url, {...})` takes the second argument as
    // message defaults, so `pool` there was ignored and every message opened its own connection.
    this.transporter ??= nodemailer.createTransport({ url: this.config.smtp.url, pool: true, maxConnections: 4 } as never);
    return this.transporter;
  }
}

export const messageIdFor = (reminderId: string): string => `<${reminderId}@custode.reminders>`;
