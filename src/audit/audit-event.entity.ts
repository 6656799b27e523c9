import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../database/column-types';

export type ActorType = 'user' | 'api_token' | 'job' | 'system';

/**
 * One link of a hash chain. Each Comune has its own chain (`chain` = its id) so it can be verified
 * and exported alone; platform events (sign-ins, new Comuni) use the chain `platform`.
 * hash = SHA-256(prevHash || canonical JSON of every other field).
 */
@Entity('audit_events')
@Index('ix_audit_events_org_entity', ['organizationId', 'entity', 'entityId'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  chain: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @TimestampColumn()
  at: Date;

  @UuidColumn({ name: 'organization_id', nullable: true })
  organizationId: string | null;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: ActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 254 })
  actorLabel: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 64 })
  entity: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true })
  entityId: string | null;

  /** Canonical JSON text, exactly what was hashed. */
  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/** The head of each chain: appends lock this row, so two writers never fork a chain. */
@Entity('audit_chain_heads')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  chain: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
