import type { Channel } from '../entities/reminder.entity';

/** What a channel sends: composed from the ledger row and the database at delivery time. */
export interface OutgoingMessage {
  reminderId: string;
  reference: string;
  channel: Channel;
  /** E-mail: the address; webhook: the endpoint URL; in-app: the user id. */
  to: string;
  toName: string | null;
  subject: string;
  text: string;
  html: string;
  /** Webhook body (no personal data). */
  event: Record<string, unknown>;
  /** Webhook: the endpoint id, which keys its signing secret. */
  endpointId: string | null;
}
