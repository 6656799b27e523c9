import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto, decodeCursor, toPage } from '../common/http/pagination';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { AuthRepository } from './auth.repository';
import { MeDto } from './dto/auth.dto';
import { AddMemberDto, CreateUserDto, MemberDto } from './dto/user.dto';
import { UserEntity } from './entities/user.entity';
import { assertStrongPassword, hashPassword } from './password.policy';
import { UserPrincipal } from './principal';
import { ROLE_LABELS_IT, OrgRole } from './roles';
import { MemberRow, UsersRepository } from './users.repository';

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  isSuperadmin?: boolean;
  mustChangePassword: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly auth: AuthRepository,
    private readonly repository: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates a user and makes it a member of the Comune with `role` (superadmin, ALS, CLI). */
  async createMember(actor: Actor, organizationId: string, dto: CreateUserDto): Promise<MemberDto> {
    const passwordHash = await this.checkedHash(dto.password, dto.email);
    return this.uow.run(async (tx) => {
      const user = await this.insertUser(tx, actor, organizationId, { ...dto, mustChangePassword: true }, passwordHash);
      return this.insertMembership(tx, actor, organizationId, user, dto.role);
    });
  }

  /** Creates a user with no membership (the platform administrator, from first run or the CLI). */
  async createUser(actor: Actor, input: NewUser): Promise<UserEntity> {
    const passwordHash = await this.checkedHash(input.password, input.email);
    return this.uow.run((tx) => this.insertUser(tx, actor, null, input, passwordHash));
  }

  /** Creates the first platform administrator when the database has no user; false when it has one. */
  async createFirstSuperadmin(actor: Actor, input: NewUser): Promise<boolean> {
    const passwordHash = await this.checkedHash(input.password, input.email);
    return this.uow.run(async (tx) => {
      if ((await this.auth.countUsers(tx.em)) > 0) return false;
      await this.insertUser(tx, actor, null, { ...input, isSuperadmin: true }, passwordHash);
      return true;
    });
  }

  async addMember(actor: Actor, organizationId: string, dto: AddMemberDto): Promise<MemberDto> {
    return this.uow.run(async (tx) => {
      const user = await this.auth.findUserByEmail(tx.em, dto.email);
      if (!user) throw new DomainError('USER_NOT_FOUND', 'No user has this e-mail address');
      if (await this.auth.findMembership(tx.em, user.id, organizationId)) {
        throw new DomainError('MEMBERSHIP_EXISTS', 'This user is already a member of the Comune');
      }
      return this.insertMembership(tx, actor, organizationId, user, dto.role);
    });
  }

  async updateMemberRole(actor: Actor, organizationId: string, userId: string, role: OrgRole): Promise<MemberDto> {
    return this.uow.run(async (tx) => {
      const row = await this.requireMember(tx.em, organizationId, userId);
      const from = row.membership.role;
      if (from === role) return mapMember(row);
      await this.assertNotLastSecurityAdmin(tx.em, organizationId, from);
      await this.repository.updateMembershipRole(tx.em, row.membership.id, role);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'member.role_changed',
        entity: 'user',
        entityId: userId,
        data: { from, to: role },
      });
      return mapMember({ ...row, membership: { ...row.membership, role } });
    });
  }

  async removeMember(actor: Actor, organizationId: string, userId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const row = await this.requireMember(tx.em, organizationId, userId);
      await this.assertNotLastSecurityAdmin(tx.em, organizationId, row.membership.role);
      await this.repository.deleteMembership(tx.em, row.membership.id);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'member.removed',
        entity: 'user',
        entityId: userId,
        data: { role: row.membership.role },
      });
    });
  }

  async listMembers(organizationId: string, query: PageQueryDto): Promise<Page<MemberDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.findMembersPage(em, organizationId, cursor ? { email: String(cursor.k), id: cursor.id } : null, limit + 1),
    );
    return toPage(rows, limit, (r) => ({ k: r.user.email, id: r.user.id }), mapMember);
  }

  async me(principal: UserPrincipal): Promise<MeDto> {
    const memberships = await this.uow.read((em) => this.repository.listMembershipsOf(em, principal.userId));
    return {
      id: principal.userId,
      email: principal.email,
      displayName: principal.displayName,
      isSuperadmin: principal.isSuperadmin,
      mustChangePassword: principal.mustChangePassword,
      memberships: memberships.map((m) => ({ ...m, roleLabel: ROLE_LABELS_IT[m.role] })),
    };
  }

  private async checkedHash(password: string, email: string): Promise<string> {
    assertStrongPassword(password, { email });
    return hashPassword(password);
  }

  private async insertUser(tx: Tx, actor: Actor, organizationId: string | null, input: NewUser, passwordHash: string): Promise<UserEntity> {
    const email = input.email.trim().toLowerCase();
    if (await this.auth.findUserByEmail(tx.em, email)) {
      throw new DomainError('USER_ALREADY_EXISTS', 'A user with this e-mail address already exists; add it as a member instead');
    }
    const now = new Date();
    const user: UserEntity = {
      id: randomUUID(),
      email,
      displayName: input.displayName.trim(),
      passwordHash,
      isSuperadmin: input.isSuperadmin ?? false,
      mustChangePassword: input.mustChangePassword,
      failedLoginCount: 0,
      lockedUntil: null,
      disabledAt: null,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await this.auth.insertUser(tx.em, user);
    await this.audit.append(tx, {
      organizationId,
      actor,
      action: 'user.created',
      entity: 'user',
      entityId: user.id,
      data: { email, displayName: user.displayName, isSuperadmin: user.isSuperadmin },
    });
    return user;
  }

  private async insertMembership(tx: Tx, actor: Actor, organizationId: string, user: UserEntity, role: OrgRole): Promise<MemberDto> {
    const membership = { id: randomUUID(), userId: user.id, organizationId, role, createdAt: new Date() };
    await this.repository.insertMembership(tx.em, membership);
    await this.audit.append(tx, { organizationId, actor, action: 'member.added', entity: 'user', entityId: user.id, data: { role } });
    return mapMember({ membership, user });
  }

  private async requireMember(em: EntityManager, organizationId: string, userId: string): Promise<MemberRow> {
    const row = await this.repository.findMember(em, organizationId, userId);
    if (!row) throw new DomainError('MEMBERSHIP_NOT_FOUND', 'This user is not a member of the Comune');
    return row;
  }

  /** A Comune never loses its last ALS account through Custode. */
  private async assertNotLastSecurityAdmin(em: EntityManager, organizationId: string, role: OrgRole): Promise<void> {
    if (role === 'security_admin' && (await this.repository.countRole(em, organizationId, 'security_admin')) <= 1) {
      throw new DomainError('LAST_SECURITY_ADMIN', 'This is the last security administrator of the Comune: name another one first');
    }
  }
}

export function mapMember({ membership, user }: MemberRow): MemberDto {
  return {
    id: user.id,
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: membership.role,
    roleLabel: ROLE_LABELS_IT[membership.role],
    mustChangePassword: user.mustChangePassword,
    lockedUntil: user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil.toISOString() : null,
    createdAt: membership.createdAt.toISOString(),
  };
}
