import { Column, Entity } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../../database/column-types';

export interface StoredName {
  commonName: string | null;
  organization: string | null;
  organizationalUnit: string | null;
  country: string | null;
  serialNumber: string | null;
  text: string;
}

export interface StoredChainLink {
  subject: string;
  commonName: string | null;
  /** ISO-8601 UTC. */
  notAfter: string;
  fingerprintSha256: string;
  pem: string;
}

@Entity('device_certificates')
export class DeviceCertificateEntity {
  @UuidColumn({ name: 'device_id', primary: true })
  deviceId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ name: 'serial_number', type: 'varchar', length: 128 })
  serialNumber: string;

  @JsonColumn()
  subject: StoredName;

  @JsonColumn()
  issuer: StoredName;

  @Column({ name: 'common_name', type: 'varchar', length: 300, nullable: true })
  commonName: string | null;

  @TimestampColumn({ name: 'not_before' })
  notBefore: Date;

  @TimestampColumn({ name: 'not_after' })
  notAfter: Date;

  @Column({ name: 'fingerprint_sha256', type: 'varchar', length: 64 })
  fingerprintSha256: string;

  @Column({ name: 'key_algorithm', type: 'varchar', length: 16 })
  keyAlgorithm: string;

  @Column({ name: 'key_bits', type: 'integer', nullable: true })
  keyBits: number | null;

  @Column({ name: 'ec_curve', type: 'varchar', length: 32, nullable: true })
  ecCurve: string | null;

  /** A codice fiscale found in the subject (card certificates). */
  @Column({ name: 'fiscal_code', type: 'varchar', length: 16, nullable: true })
  fiscalCode: string | null;

  @Column({ name: 'self_signed', type: 'boolean' })
  selfSigned: boolean;

  /** The public certificate only; the upload itself is never stored. */
  @Column({ type: 'text' })
  pem: string;

  @JsonColumn()
  chain: StoredChainLink[];

  @Column({ name: 'source_name', type: 'varchar', length: 300, nullable: true })
  sourceName: string | null;
}

@Entity('device_smart_cards')
export class DeviceSmartCardEntity {
  @UuidColumn({ name: 'device_id', primary: true })
  deviceId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ name: 'serial_number', type: 'varchar', length: 64 })
  serialNumber: string;

  @Column({ name: 'card_type', type: 'varchar', length: 64, nullable: true })
  cardType: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  generation: string | null;

  @Column({ name: 'certificate_fingerprint_sha256', type: 'varchar', length: 64, nullable: true })
  certificateFingerprintSha256: string | null;

  @Column({ name: 'certificate_fiscal_code', type: 'varchar', length: 16, nullable: true })
  certificateFiscalCode: string | null;
}

export const CREDENTIAL_SYSTEMS = ['anpr_console', 'registry_software', 'digital_identity', 'daily_password'] as const;
export type CredentialSystem = (typeof CREDENTIAL_SYSTEMS)[number];
export const IDENTITY_PROVIDERS = ['spid', 'cie', 'cns'] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number];

/** An account: never a password, PIN or secret. */
@Entity('device_credentials')
export class DeviceCredentialEntity {
  @UuidColumn({ name: 'device_id', primary: true })
  deviceId: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'varchar', length: 32 })
  system: CredentialSystem;

  @Column({ type: 'varchar', length: 200 })
  username: string;

  @Column({ name: 'identity_provider', type: 'varchar', length: 16, nullable: true })
  identityProvider: IdentityProvider | null;

  @Column({ name: 'issued_on', type: 'varchar', length: 10, nullable: true })
  issuedOn: string | null;

  @Column({ name: 'last_rotated_on', type: 'varchar', length: 10, nullable: true })
  lastRotatedOn: string | null;

  @Column({ name: 'rotation_days', type: 'integer', nullable: true })
  rotationDays: number | null;

  /** rotationDueOn(this): kept by DevicesRepository whenever the row is written; indexed for the reminders. */
  @Column({ name: 'rotation_due_on', type: 'varchar', length: 10, nullable: true })
  rotationDueOn: string | null;
}

export const DEVICE_EVENT_TYPES = [
  'created',
  'transition',
  'custody',
  'successor',
  'updated',
  'handover_receipt',
  'handover_acknowledged',
] as const;
export type DeviceEventType = (typeof DEVICE_EVENT_TYPES)[number];

export interface Evidence {
  /** Protocol number, ticket, console reference. */
  reference?: string;
  description?: string;
}

@Entity('device_events')
export class DeviceEventEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'device_id' })
  deviceId: string;

  @TimestampColumn()
  at: Date;

  @Column({ type: 'varchar', length: 32 })
  type: DeviceEventType;

  @Column({ type: 'varchar', length: 32, nullable: true })
  action: string | null;

  @Column({ name: 'from_status', type: 'varchar', length: 32, nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 32, nullable: true })
  toStatus: string | null;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 254 })
  actorLabel: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @JsonColumn({ nullable: true })
  evidence: Evidence | null;

  @JsonColumn()
  data: Record<string, unknown>;
}

@Entity('custody_assignments')
export class CustodyAssignmentEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'device_id' })
  deviceId: string;

  /** 'holder': who answers for the device; 'workstation': where a certificate is placed. */
  @Column({ type: 'varchar', length: 16 })
  target: 'holder' | 'workstation';

  @UuidColumn({ name: 'holder_id', nullable: true })
  holderId: string | null;

  @UuidColumn({ name: 'workstation_id', nullable: true })
  workstationId: string | null;

  @TimestampColumn({ name: 'started_at' })
  startedAt: Date;

  @TimestampColumn({ name: 'ended_at', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'assigned_by', type: 'varchar', length: 254 })
  assignedBy: string;

  @Column({ name: 'end_reason', type: 'varchar', length: 200, nullable: true })
  endReason: string | null;
}

export interface HandoverContent {
  organizationName: string;
  istatCode: string;
  holderName: string;
  holderFiscalCode: string;
  holderOffice: string | null;
  deviceKind: string;
  deviceKindLabel: string;
  deviceLabel: string;
  deviceSerial: string | null;
  expiresAt: string | null;
  workstationCode: string | null;
  issuedBy: string;
  /** ISO-8601 UTC. */
  issuedAt: string;
  /** 'YYYY-MM-DD' in Europe/Rome. */
  issuedOn: string;
  note: string | null;
}

@Entity('handover_receipts')
export class HandoverReceiptEntity {
  @UuidColumn({ primary: true })
  id: string;

  @UuidColumn({ name: 'organization_id' })
  organizationId: string;

  @UuidColumn({ name: 'device_id' })
  deviceId: string;

  @UuidColumn({ name: 'assignment_id', nullable: true })
  assignmentId: string | null;

  @UuidColumn({ name: 'holder_id' })
  holderId: string;

  /** 'YYYY/NNNN', sequential per Comune and year. */
  @Column({ type: 'varchar', length: 32 })
  number: string;

  /** 'delivery' (consegna) or 'return' (restituzione). */
  @Column({ type: 'varchar', length: 16 })
  direction: 'delivery' | 'return';

  /** What the PDF shows, frozen when the receipt was made. */
  @JsonColumn()
  content: HandoverContent;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;

  @TimestampColumn({ name: 'acknowledged_at', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 254, nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'acknowledgement_note', type: 'text', nullable: true })
  acknowledgementNote: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
