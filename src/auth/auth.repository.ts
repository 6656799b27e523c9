import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { OrganizationEntity } from '../organizations/organization.entity';
import { ApiTokenEntity } from './entities/api-token.entity';
import { MembershipEntity } from './entities/membership.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';

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

  /** The live session behind a token hash, with its user; null when unknown, expired or revoked. */
  async findLiveSession(em: EntityManager, tokenHash: string, now: Date): Promise<{ session: SessionEntity; user: UserEntity } | null> {
    const session = await em.getRepository(SessionEntity).findOneBy({ tokenHash, revokedAt: IsNull() });
    if (!session || session.expiresAt <= now) return null;
    const user = await em.getRepository(UserEntity).findOneBy({ id: session.userId });
    return user ? { session, user } : null;
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

  async organizationExists(em: EntityManager, id: string): Promise<boolean> {
    return (await em.getRepository(OrganizationEntity).countBy({ id })) > 0;
  }

  async touchApiToken(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.getRepository(ApiTokenEntity).update({ id }, { lastUsedAt: at });
  }
}
