import * as argon2 from 'argon2';
// The Firefox Accounts list of common passwords (MPL-2.0); `test` is an exact-match look-up.
import * as commonPasswords from 'fxa-common-password-list';
import { DomainError } from '../common/errors/domain-error';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Throws WEAK_PASSWORD with every reason that applies. */
export function assertStrongPassword(password: string, context: { email?: string } = {}): void {
  const reasons: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) reasons.push(`at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) reasons.push(`at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (commonPasswords.test(password) || commonPasswords.test(lower)) reasons.push('not a commonly used password');
  if (/^(.)\1+$/.test(password)) reasons.push('not a single repeated character');
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (context.email && (lower.includes(context.email.toLowerCase()) || (local && local.length >= 4 && lower.includes(local)))) {
    reasons.push('not containing the e-mail address');
  }
  if (reasons.length > 0) {
    throw new DomainError('WEAK_PASSWORD', `The password must be: ${reasons.join('; ')}`, { requirements: reasons });
  }
}

/** argon2id with the library's defaults (RFC 9106 second recommended option: 64 MiB, t=3, p=4). */
export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal it. */
let decoyHash: Promise<string> | null = null;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword('decoy-password-never-used'));
