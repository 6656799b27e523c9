import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEVICE_KINDS,
  DEVICE_STATUSES,
  DeviceKind,
  DeviceStatus,
  KIND_LABELS_IT,
  LIFECYCLE_ACTIONS,
  LifecycleAction,
  ACTION_LABELS_IT,
  allowedActions,
  nextStatus,
  reasonCodes,
  requiresReason,
  statusLabelIt,
  isLive,
  isTerminal,
} from '../lifecycle';
import { DeviceCertificateEntity, DeviceCredentialEntity, DeviceSmartCardEntity, StoredName } from '../entities/device-details.entity';
import { DeviceEntity } from '../entities/device.entity';

export class NameDto {
  @ApiProperty({ nullable: true, type: String }) commonName: string | null;
  @ApiProperty({ nullable: true, type: String }) organization: string | null;
  @ApiProperty({ nullable: true, type: String }) organizationalUnit: string | null;
  @ApiProperty({ nullable: true, type: String }) country: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'X.520 serialNumber attribute' }) serialNumber: string | null;
  @ApiProperty({ description: 'RFC 4514 string' }) text: string;
}

export class ChainLinkDto {
  @ApiProperty() subject: string;
  @ApiProperty({ nullable: true, type: String }) commonName: string | null;
  @ApiProperty() notAfter: string;
  @ApiProperty() fingerprintSha256: string;
}

export class RefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class WorkstationRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: String }) hostname: string | null;
}

export class ActionHintDto {
  @ApiProperty({ enum: LIFECYCLE_ACTIONS }) action: LifecycleAction;
  @ApiProperty() label: string;
  @ApiProperty({ enum: DEVICE_STATUSES }) to: DeviceStatus;
  @ApiProperty() toLabel: string;
  @ApiProperty() requiresReason: boolean;
  @ApiProperty({ nullable: true, type: [String] }) reasonCodes: readonly string[] | null;
}

export class DeviceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind: DeviceKind;
  @ApiProperty({ example: 'Certificato di postazione' }) kindLabel: string;
  @ApiProperty({ enum: DEVICE_STATUSES }) status: DeviceStatus;
  @ApiProperty({ example: 'Emesso' }) statusLabel: string;
  @ApiProperty({ description: 'Live: expiry matters and reminders run' }) live: boolean;
  @ApiProperty() terminal: boolean;
  @ApiProperty({ description: 'CN, card serial or account name' }) label: string;
  @ApiProperty({ nullable: true, type: RefDto }) holder: RefDto | null;
  @ApiProperty({ nullable: true, type: RefDto, description: 'Responsabile del certificato' }) custodian: RefDto | null;
  @ApiProperty({ nullable: true, type: WorkstationRefDto }) workstation: WorkstationRefDto | null;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole days from now to expiry (negative: expired)' }) daysToExpiry:
    number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) successorId: string | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ type: [ActionHintDto], description: 'What can be done next from this status' }) allowedActions: ActionHintDto[];
  @ApiProperty() statusChangedAt: string;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  // certificates
  @ApiPropertyOptional({ description: 'Lowercase hex, as openssl x509 -serial prints it (certificates, smart cards)' })
  serialNumber?: string;
  @ApiPropertyOptional({ type: NameDto }) subject?: NameDto;
  @ApiPropertyOptional({ type: NameDto }) issuer?: NameDto;
  @ApiPropertyOptional() notBefore?: string;
  @ApiPropertyOptional() notAfter?: string;
  @ApiPropertyOptional({ description: 'Lowercase hex SHA-256 of the DER' }) fingerprintSha256?: string;
  @ApiPropertyOptional({ example: 'rsa' }) keyAlgorithm?: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) keyBits?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) ecCurve?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) fiscalCode?: string | null;
  @ApiPropertyOptional({ type: [ChainLinkDto] }) chain?: ChainLinkDto[];
  @ApiPropertyOptional({ description: 'The public certificate (PEM)' }) pem?: string;
  // smart cards
  @ApiPropertyOptional({ nullable: true, type: String }) cardType?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) generation?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) certificateFingerprintSha256?: string | null;
  // credentials
  @ApiPropertyOptional() system?: string;
  @ApiPropertyOptional() systemLabel?: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) identityProvider?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) issuedOn?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastRotatedOn?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) rotationDays?: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The day the password is due to change: lastRotatedOn (else issuedOn) + rotationDays',
  })
  rotationDueOn?: string | null;
}

export class DevicePageDto {
  @ApiProperty({ type: [DeviceDto] }) items: DeviceDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export const CREDENTIAL_SYSTEM_LABELS_IT: Record<string, string> = {
  anpr_console: 'Consolle di sicurezza ANPR',
  registry_software: 'Software anagrafico (web service)',
  digital_identity: 'Identità digitale (SPID/CIE/CNS)',
  daily_password: 'Password giornaliera',
};

export interface DeviceContext {
  holderNames: Map<string, string>;
  workstations: Map<string, { id: string; code: string; hostname: string | null }>;
  certificate?: DeviceCertificateEntity;
  smartCard?: DeviceSmartCardEntity;
  credential?: DeviceCredentialEntity;
  now: Date;
  /** Include the PEM (single-device views only). */
  withPem?: boolean;
}

const name = (n: StoredName): NameDto => ({
  commonName: n.commonName,
  organization: n.organization,
  organizationalUnit: n.organizationalUnit,
  country: n.country,
  serialNumber: n.serialNumber,
  text: n.text,
});

export function actionHints(kind: DeviceKind, status: DeviceStatus): ActionHintDto[] {
  return allowedActions(kind, status).map((action) => {
    const to = nextStatus(kind, status, action) as DeviceStatus;
    return {
      action,
      label: ACTION_LABELS_IT[action],
      to,
      toLabel: statusLabelIt(kind, to),
      requiresReason: requiresReason(kind, action),
      reasonCodes: reasonCodes(kind, action),
    };
  });
}

export function mapDevice(d: DeviceEntity, ctx: DeviceContext): DeviceDto {
  const ref = (id: string | null): RefDto | null => (id ? { id, name: ctx.holderNames.get(id) ?? '' } : null);
  const ws = d.workstationId ? ctx.workstations.get(d.workstationId) : undefined;
  const dto: DeviceDto = {
    id: d.id,
    kind: d.kind,
    kindLabel: KIND_LABELS_IT[d.kind],
    status: d.status,
    statusLabel: statusLabelIt(d.kind, d.status),
    live: isLive(d.kind, d.status),
    terminal: isTerminal(d.kind, d.status),
    label: d.label,
    holder: ref(d.holderId),
    custodian: ref(d.custodianHolderId),
    workstation: d.workstationId ? { id: d.workstationId, code: ws?.code ?? '', hostname: ws?.hostname ?? null } : null,
    expiresAt: d.expiresAt ? d.expiresAt.toISOString() : null,
    daysToExpiry: d.expiresAt ? Math.floor((d.expiresAt.getTime() - ctx.now.getTime()) / 86_400_000) : null,
    successorId: d.successorId,
    notes: d.notes,
    allowedActions: actionHints(d.kind, d.status),
    statusChangedAt: d.statusChangedAt.toISOString(),
    version: d.version,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
  const c = ctx.certificate;
  if (c) {
    Object.assign(dto, {
      serialNumber: c.serialNumber,
      subject: name(c.subject),
      issuer: name(c.issuer),
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      fingerprintSha256: c.fingerprintSha256,
      keyAlgorithm: c.keyAlgorithm,
      keyBits: c.keyBits,
      ecCurve: c.ecCurve,
      fiscalCode: c.fiscalCode,
      chain: c.chain.map((l) => ({
        subject: l.subject,
        commonName: l.commonName,
        notAfter: l.notAfter,
        fingerprintSha256: l.fingerprintSha256,
      })),
      ...(ctx.withPem ? { pem: c.pem } : {}),
    });
  }
  const s = ctx.smartCard;
  if (s)
    Object.assign(dto, {
      serialNumber: s.serialNumber,
      cardType: s.cardType,
      generation: s.generation,
      certificateFingerprintSha256: s.certificateFingerprintSha256,
    });
  const r = ctx.credential;
  if (r) {
    Object.assign(dto, {
      system: r.system,
      systemLabel: CREDENTIAL_SYSTEM_LABELS_IT[r.system] ?? r.system,
      username: r.username,
      identityProvider: r.identityProvider,
      issuedOn: r.issuedOn,
      lastRotatedOn: r.lastRotatedOn,
      rotationDays: r.rotationDays,
      rotationDueOn: r.rotationDueOn,
    });
  }
  return dto;
}
