import { LocalDate, addDays, isLocalDate } from '../common/time';
import type { DeviceCredentialEntity } from './entities/device-details.entity';

/**
 * The day a credential's password is due to change: the last change (or, never changed, the day
 * the account was issued) plus the rotation period. Null without a period or a starting day.
 * Stored in `device_credentials.rotation_due_on` so the reminders read what is due through an index.
 */
export function rotationDueOn(c: Pick<DeviceCredentialEntity, 'lastRotatedOn' | 'issuedOn' | 'rotationDays'>): LocalDate | null {
  const from = c.lastRotatedOn ?? c.issuedOn;
  if (!c.rotationDays || !from || !isLocalDate(from)) return null;
  return addDays(from, c.rotationDays);
}
