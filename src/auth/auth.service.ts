import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { UnitOfWork } from '../database/unit-of-work.service';
import { AuthRepository } from './auth.repository';
import { assertStrongPassword, decoyPasswordHash, hashPassword, verifyPassword } from './password.policy';
import { OrgRole } from './roles';
import { Principal, UserPrincipal, actorOf } from './principal';
import { TokenHasher } from './token-hasher';

export interface LoginResult {
  token: string;
  expiresAt: string;
  mustChangePassword: boolean;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly repository: AuthRepository,
    private readonly audit: AuditService,
    private readonly tokens: TokenHasher,
  ) {}

  /**
   * Password sign-in. Failures are counted per account; at the limit the account locks for a
   * while. Every failure and lock is audited (on the platform chain) even though the request fails.
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const now = new Date();
    const user = await this.uow.read((em) => this.repository.findUserByEmail(em, email));
    if (!user) {
      await verifyPassword(await decoyPasswordHash(), password);
      await this.uow.run((tx) =>
        this.audit.append(tx, {
          organizationId: null,
          actor: SYSTEM_ACTOR,
          action: 'auth.login_failed',
          entity: 'user',
          entityId: null,
          data: { reason: 'unknown_user' },
        }),
      );
      throw new DomainError('INVALID_CREDENTIALS', 'E-mail or password is wrong');
    }
    const actor: Actor = { type: 'user', id: user.id, label: user.email };
    if (user.disabledAt) throw new DomainError('ACCOUNT_DISABLED', 'This account is disabled');
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new DomainError('ACCOUNT_LOCKED', 'Too many failed sign-ins: the account is locked for a while', {
        lockedUntil: user.lockedUntil.toISOString(),
      });
    }
    const ok = await verifyPassword(user.passwordHash, password);
    if (!ok) {
      const failures = user.failedLoginCount + 1;
      const lock = failures >= this.config.auth.maxFailedLogins;
      const lockedUntil = lock ? new Date(now.getTime() + this.config.auth.lockoutMinutes * 60_000) : null;
      await this.uow.run(async (tx) => {
        await this.repository.updateUser(tx.em, user.id, { failedLoginCount: lock ? 0 : failures, lockedUntil });
        await this.audit.append(tx, {
          organizationId: null,
          actor,
          action: 'auth.login_failed',
          entity: 'user',
          entityId: user.id,
          data: { failures },
        });
        if (lock) {
          await this.audit.append(tx, {
            organizationId: null,
            actor: SYSTEM_ACTOR,
            action: 'auth.account_locked',
            entity: 'user',
            entityId: user.id,
            data: { lockedUntil },
          });
        }
      });
      throw new DomainError(
        lock ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS',
        lock ? 'Too many failed sign-ins: the account is locked for a while' : 'E-mail or password is wrong',
      );
    }
    const { token, hash } = this.tokens.generate('session');
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionTtlMinutes * 60_000);
    await this.uow.run(async (tx) => {
      await this.repository.updateUser(tx.em, user.id, { failedLoginCount: 0, lockedUntil: null });
      const sessionId = randomUUID();
      await this.repository.insertSession(tx.em, {
        id: sessionId,
        userId: user.id,
        tokenHash: hash,
        expiresAt,
        revokedAt: null,
        createdAt: now,
      });
      await this.audit.append(tx, { organizationId: null, actor, action: 'auth.login', entity: 'session', entityId: sessionId });
    });
    return { token, expiresAt: expiresAt.toISOString(), mustChangePassword: user.mustChangePassword };
  }

  async logout(principal: UserPrincipal): Promise<void> {
    await this.uow.run(async (tx) => {
      await this.repository.revokeSession(tx.em, principal.sessionId, new Date());
      await this.audit.append(tx, {
        organizationId: null,
        actor: actorOf(principal),
        action: 'auth.logout',
        entity: 'session',
        entityId: principal.sessionId,
      });
    });
  }

  /** Changes the caller's password; other sessions of the same user are revoked. */
  async changePassword(principal: UserPrincipal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.uow.read((em) => this.repository.findUserById(em, principal.userId));
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong');
    }
    if (currentPassword === newPassword) throw new DomainError('WEAK_PASSWORD', 'The new password must differ from the current one');
    assertStrongPassword(newPassword, { email: user.email });
    const passwordHash = await hashPassword(newPassword);
    await this.uow.run(async (tx) => {
      const now = new Date();
      await this.repository.updateUser(tx.em, user.id, { passwordHash, mustChangePassword: false, passwordChangedAt: now });
      await this.repository.revokeOtherSessions(tx.em, user.id, principal.sessionId, now);
      await this.audit.append(tx, {
        organizationId: null,
        actor: actorOf(principal),
        action: 'auth.password_changed',
        entity: 'user',
        entityId: user.id,
      });
    });
  }

  /** Resolves a bearer token to its principal, or null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Principal | null> {
    return (await this.authorize(token, null))?.principal ?? null;
  }

  /**
   * A request's access check: the principal behind a bearer token (null when it is unknown, expired
   * or revoked, or its user is disabled) and its roles in `organizationId` (its membership role,
   * plus `superadmin` for the platform administrator when the Comune exists; empty when none is
   * asked). A session is read with one query in one unit of work, fresh on every request, so
   * sign-out, revocation, disabling and role changes take effect on the next request.
   */
  async authorize(
    token: string,
    organizationId: string | null,
  ): Promise<{ principal: Principal; roles: (OrgRole | 'superadmin')[] } | null> {
    const kind = this.tokens.kindOf(token);
    if (kind === null || token.length > 128) return null;
    const hash = this.tokens.hash(token);
    const now = new Date();
    if (kind === 'session') {
      const row = await this.uow.read((em) => this.repository.findSessionAccess(em, hash, now, organizationId));
      if (!row) return null;
      const principal: UserPrincipal = {
        kind: 'user',
        userId: row.userId,
        email: row.email,
        displayName: row.displayName,
        isSuperadmin: row.isSuperadmin,
        mustChangePassword: row.mustChangePassword,
        sessionId: row.sessionId,
      };
      const roles: (OrgRole | 'superadmin')[] = row.role ? [row.role] : [];
      if (organizationId !== null && row.isSuperadmin && row.organizationExists) roles.push('superadmin');
      return { principal, roles };
    }
    if (kind === 'api') {
      const row = await this.uow.read((em) => this.repository.findLiveApiToken(em, hash));
      if (!row || (row.expiresAt && row.expiresAt <= now)) return null;
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 3600_000) {
        // Hourly precision is enough to spot unused tokens and keeps requests from writing.
        await this.uow.run((tx) => this.repository.touchApiToken(tx.em, row.id, now));
      }
      const principal: Principal = {
        kind: 'api_token',
        tokenId: row.id,
        name: row.name,
        organizationId: row.organizationId,
        role: row.role,
      };
      return { principal, roles: organizationId !== null && row.organizationId === organizationId ? [row.role] : [] };
    }
    return null;
  }

  /** Removes sessions that ended more than a day ago (a maintenance job). */
  async purgeEndedSessions(actor: Actor): Promise<number> {
    return this.uow.run(async (tx) => {
      const removed = await this.repository.deleteSessionsEndedBefore(tx.em, new Date(Date.now() - 24 * 3600_000));
      if (removed > 0) {
        await this.audit.append(tx, {
          organizationId: null,
          actor,
          action: 'auth.sessions_purged',
          entity: 'session',
          entityId: null,
          data: { removed },
        });
      }
      return removed;
    });
  }
}
