import { AuditChainHeadEntity, AuditEventEntity } from '../audit/audit-event.entity';
import { ApiTokenEntity } from '../auth/entities/api-token.entity';
import { MembershipEntity } from '../auth/entities/membership.entity';
import { SessionEntity } from '../auth/entities/session.entity';
import { UserEntity } from '../auth/entities/user.entity';
import { OrganizationEntity } from '../organizations/organization.entity';

/** Every entity, listed once: the app and the migration CLI load the same set. */
export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  MembershipEntity,
  SessionEntity,
  ApiTokenEntity,
  AuditEventEntity,
  AuditChainHeadEntity,
];
