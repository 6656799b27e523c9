import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/configuration';
import { PermanentDeliveryError } from './delivery-errors';
import { OutgoingMessage } from './message';

export const SIGNATURE_HEADER = 'x-custode-signature';
export const TIMESTAMP_HEADER = 'x-custode-timestamp';
export const DELIVERY_HEADER = 'x-custode-delivery';

/**
 * Signed webhooks: `X-Custode-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * with `X-Custode-Timestamp` (Unix seconds) so a receiver can refuse replays, and
 * `X-Custode-Delivery` (the ledger id) so it can drop a repeat.
 */
@Injectable()
export class WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The endpoint's signing secret: derived, never stored. */
  secretFor(endpointId: string): string {
    return createHmac('sha256', this.config.auth.secret).update(`webhook:${endpointId}`).digest('base64url');
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (!message.endpointId) throw new PermanentDeliveryError('webhook endpoint missing');
    const body = JSON.stringify(message.event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(this.secretFor(message.endpointId), timestamp, body);
    const response = await fetch(message.to, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Custode-Webhook/1',
        [SIGNATURE_HEADER]: `sha256=${signature}`,
        [TIMESTAMP_HEADER]: timestamp,
        [DELIVERY_HEADER]: message.reminderId,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.config.reminders.webhookTimeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return;
    // 4xx other than 408/429 means the receiver refuses this request as such.
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      throw new PermanentDeliveryError(`webhook answered ${response.status}`);
    }
    throw new Error(`webhook answered ${response.status}`);
  }
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
