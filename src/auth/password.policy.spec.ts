import { DomainError } from '../common/errors/domain-error';
import { assertStrongPassword, hashPassword, verifyPassword } from './password.policy';

describe(assertStrongPassword.name, () => {
  const reject = (password: string, email?: string) => {
    try {
      assertStrongPassword(password, { email });
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('WEAK_PASSWORD');
      return (error as DomainError).detail.requirements as string[];
    }
    throw new Error(`"${password}" was accepted`);
  };

  it('refuses short passwords', () => {
    expect(reject('Short1!pass')).toContain('at least 12 characters');
  });

  it('refuses common passwords even when long enough', () => {
    expect(reject('passwordpassword')).toContain('not a commonly used password');
  });

  it('refuses a repeated character and the e-mail address', () => {
    expect(reject('aaaaaaaaaaaaaaaa')).toContain('not a single repeated character');
    expect(reject('mario.rossi-2026-xyz', 'mario.rossi@comune.example.it')).toContain('not containing the e-mail address');
  });

  it('accepts a long uncommon passphrase', () => {
    expect(() => assertStrongPassword('cavallo-batteria-graffetta-9', { email: 'als@comune.example.it' })).not.toThrow();
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password and rejects a wrong one or a broken hash', async () => {
    const hash = await hashPassword('cavallo-batteria-graffetta-9');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    await expect(verifyPassword(hash, 'cavallo-batteria-graffetta-9')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'cavallo-batteria-graffetta-8')).resolves.toBe(false);
    await expect(verifyPassword('not-a-hash', 'x')).resolves.toBe(false);
  });
});
