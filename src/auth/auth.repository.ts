import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { ApiTokenEntity } from './entities/api-token.entity';
import { MembershipEntity } from './entities/membership.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';
import type { OrgRole } from './roles';

export interface SessionAccessRow {
  sessionId: string;
  userId: string;
  email: string;
  displayName: string;
  isSuperadmin: boolean;
  mustChangePassword: boolean;
  /** The membership role in the Comune asked about (null: not a member, or no Comune asked). */
  role: OrgRole | null;
  organizationExists: boolean;
}

@Injectable()
export class AuthRepository {
  findUserByEmail(em: EntityManager, email: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOneBy({ email: email.toLowerCase() });
  }

  findUserById(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOneBy({ id });
  }

  countUsers(em: EntityManager): Promise<number> {
    return em.getRepository(UserEntity).count();
  }

  async insertUser(em: EntityManager, user: UserEntity): Promise<void> {
    await em.getRepository(UserEntity).insert(user);
  }

  async updateUser(em: EntityManager, id: string, patch: Partial<UserEntity>): Promise<void> {
    await em.getRepository(UserEntity).update({ id }, patch);
  }

  async insertSession(em: EntityManager, session: SessionEntity): Promise<void> {
    await em.getRepository(SessionEntity).insert(session);
  }

  /**
   * A request's access check in one query: the live session behind a token hash (not revoked, not
   * expired, its user not disabled), the user, and — for an org-scoped route — the user's role in
   * that Comune and whether the Comune exists (the platform administrator's implicit role).
   */
  async findSessionAccess(
    em: EntityManager,
    tokenHash: string,
    now: Date,
    organizationId: string | null,
  ): Promise<SessionAccessRow | null> {
    const qb = em
      .createQueryBuilder()
      .select('s.id', 'sessionId')
      .addSelect('u.id', 'userId')
      .addSelect('u.email', 'email')
      .addSelect('u.display_name', 'displayName')
      .addSelect('u.is_superadmin', 'isSuperadmin')
      .addSelect('u.must_change_password', 'mustChangePassword')
      .from(SessionEntity, 's')
      .innerJoin(UserEntity, 'u', 'u.id = s.user_id')
      .where('s.token_hash = :tokenHash AND s.revoked_at IS NULL AND s.expires_at > :now AND u.disabled_at IS NULL', { tokenHash, now });
    if (organizationId !== null) {
      qb.leftJoin(MembershipEntity, 'm', 'm.user_id = u.id AND m.organization_id = :organizationId', { organizationId })
        .addSelect('m.role', 'role')
        .addSelect((sub) => sub.select('COUNT(1)').from(OrganizationEntity, 'o').where('o.id = :organizationId'), 'organizationCount');
    }
    const raw = await qb.getRawOne<Record<string, unknown>>();
    if (!raw) return null;
    return {
      sessionId: String(raw.sessionId),
      userId: String(raw.userId),
      email: String(raw.email),
      displayName: String(raw.displayName),
      // SQLite answers 0/1, PostgreSQL true/false; PostgreSQL's COUNT is a string.
      isSuperadmin: Boolean(raw.isSuperadmin),
      mustChangePassword: Boolean(raw.mustChangePassword),
      role: (raw.role as OrgRole | null | undefined) ?? null,
      organizationExists: Number(raw.organizationCount ?? 0) > 0,
    };
  }

  async revokeSession(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.getRepository(SessionEntity).update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeOtherSessions(em: EntityManager, userId: string, keepSessionId: string | null, at: Date): Promise<void> {
    const qb = em
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: at })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keepSessionId) qb.andWhere('id <> :keep', { keep: keepSessionId });
    await qb.execute();
  }

  async deleteSessionsEndedBefore(em: EntityManager, before: Date): Promise<number> {
    const result = await em
      .createQueryBuilder()
      .delete()
      .from(SessionEntity)
      .where('expires_at < :before OR revoked_at < :before', { before })
      .execute();
    return result.affected ?? 0;
  }

  findMembership(em: EntityManager, userId: string, organizationId: string): Promise<MembershipEntity | null> {
    return em.getRepository(MembershipEntity).findOneBy({ userId, organizationId });
  }

  findLiveApiToken(em: EntityManager, tokenHash: string): Promise<ApiTokenEntity | null> {
    return em.getRepository(ApiTokenEntity).findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  async touchApiToken(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.getRepository(ApiTokenEntity).update({ id }, { lastUsedAt: at });
  }
}
