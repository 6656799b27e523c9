import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Actor } from '../../audit/actor';
import { AuditEntry, AuditService } from '../../audit/audit.service';
import { OrgRole } from '../../auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { addDays, romeDate } from '../../common/time';
import { APP_CONFIG, AppConfig } from '../../config/configuration';
import { Tx, UnitOfWork } from '../../database/unit-of-work.service';
import { HoldersService } from '../../holders/holders.service';
import { ReminderSweepService } from '../../reminders/reminder-sweep.service';
import { TasksService } from '../../tasks/tasks.service';
import { WorkstationRef, WorkstationsService } from '../../workstations/workstations.service';
import { DeviceViews } from '../device-views.service';
import { DevicesRepository, organizationHeader } from '../devices.repository';
import { assertMayManage, deviceEvent } from '../device-support';
import { DevicesService } from '../devices.service';
import { DeviceDto } from '../dto/device.dto';
import { CustodyAssignmentEntity, DeviceCertificateEntity, DeviceEventEntity } from '../entities/device-details.entity';
import { DeviceEntity } from '../entities/device.entity';
import { LIVE_STATUSES } from '../lifecycle';
import { newDeviceRow } from '../new-device-row';
import { CertificateBundle, CertificateParseError, CertificateUploadError, parseCertificateUpload } from './x509';

export type CertificateKind = 'workstation_certificate' | 'server_certificate';

export class ImportWarningDto {
  @ApiProperty({ example: 'CN_NOT_ISTAT_CODE' }) code: string;
  @ApiProperty({ description: 'File name (entry name inside a ZIP)' }) source: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) deviceId: string | null;
  @ApiProperty() message: string;
}

export class ImportErrorDto {
  @ApiProperty() source: string;
  @ApiProperty({ example: 'PKCS12_WRONG_PASSWORD' }) code: string;
  @ApiProperty() message: string;
}

/** One created device, with the names a person reads beside its id. */
export class ImportedCertificateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "Device label: the certificate's common name", example: '058091-PC-12' }) label: string;
  @ApiProperty({ description: 'Certificate serial, lowercase hex as `openssl x509 -serial`' }) serialNumber: string;
  @ApiProperty({ enum: ['issued', 'expired'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) notAfter: string;
  @ApiProperty({ description: 'File name (entry name inside a ZIP)' }) source: string;
}

/** Uploads that create more devices than this answer with `certificates` only, not full devices. */
export const IMPORT_DETAIL_LIMIT = 50;

export class ImportResultDto {
  @ApiProperty({ description: 'Devices created by this upload' }) imported: number;
  @ApiProperty({ type: [ImportedCertificateDto], description: 'Every device created, in file order' })
  certificates: ImportedCertificateDto[];
  @ApiProperty({
    type: [DeviceDto],
    description: `The created devices in full when the upload created at most ${IMPORT_DETAIL_LIMIT} (else empty: read them with GET /devices/{id})`,
  })
  devices: DeviceDto[];
  @ApiProperty({ type: [ImportWarningDto] }) warnings: ImportWarningDto[];
  @ApiProperty({ type: [ImportErrorDto], description: 'ZIP entries that could not be read (the others were imported)' })
  errors: ImportErrorDto[];
  @ApiProperty({ description: 'Certificates already in the inventory, skipped (ZIP only: a single file answers 409)' }) duplicates: number;
}

export interface ImportRequest {
  organizationId: string;
  actor: Actor;
  role: OrgRole | 'superadmin';
  data: Buffer;
  fileName: string | undefined;
  /** Used in memory for this call only: never stored, logged or echoed. */
  password: string | undefined;
  passwordMap: Record<string, string> | undefined;
  kind: CertificateKind;
  workstationId: string | undefined;
  custodianHolderId: string | undefined;
}

/**
 * Imports workstation and server certificates from an upload (HTTP or CLI): parse off the
 * request's transaction, then store every leaf with its chain in one unit of work.
 */
@Injectable()
export class CertificateImportService {
  private readonly logger = new Logger(CertificateImportService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: DevicesRepository,
    private readonly views: DeviceViews,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly devices: DevicesService,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
    private readonly reminderSweep: ReminderSweepService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(req: ImportRequest): Promise<ImportResultDto> {
    assertMayManage(req.role, req.kind);
    const isZip = req.data.length >= 4 && req.data.readUInt32LE(0) === 0x04034b50;
    let parsed: { bundles: CertificateBundle[]; errors: CertificateUploadError[] };
    try {
      parsed = await parseCertificateUpload(
        { data: req.data, fileName: req.fileName, password: req.password, passwordMap: req.passwordMap },
        { maxFileBytes: this.config.http.uploadLimitBytes },
      );
    } catch (error) {
      if (error instanceof CertificateParseError) throw new DomainError(error.code, error.message, { source: req.fileName ?? 'upload' });
      throw error;
    }
    if (parsed.bundles.length === 0) {
      const first = parsed.errors[0];
      throw new DomainError(first?.code ?? 'ZIP_EMPTY', first ? `${first.source}: ${first.message}` : 'No certificate found', {
        errors: parsed.errors,
      });
    }
    if (req.workstationId && parsed.bundles.length > 1) {
      throw new DomainError('VALIDATION_FAILED', 'workstationId needs a file with exactly one certificate', {
        errors: [{ field: 'workstationId', messages: [`the file holds ${parsed.bundles.length} certificates`] }],
      });
    }
    const result = await this.uow.run((tx) => this.store(tx, req, parsed.bundles, !isZip));
    this.logger.log(
      { organizationId: req.organizationId, imported: result.imported, duplicates: result.duplicates, errors: parsed.errors.length },
      'certificates imported',
    );
    return { ...result, errors: parsed.errors };
  }

  private async store(
    tx: Tx,
    req: ImportRequest,
    bundles: CertificateBundle[],
    duplicateIsError: boolean,
  ): Promise<Omit<ImportResultDto, 'errors'>> {
    const org = await organizationHeader(tx.em, req.organizationId);
    const ws = req.workstationId ? await this.workstations.requireInTx(tx.em, req.organizationId, req.workstationId) : null;
    const custodian = req.custodianHolderId
      ? (await this.holders.requireInTx(tx.em, req.organizationId, req.custodianHolderId)).id
      : (ws?.custodianHolderId ?? null);
    const warnings: ImportWarningDto[] = [];
    const created: DeviceEntity[] = [];
    const certificates: ImportedCertificateDto[] = [];
    const rows = {
      devices: created,
      certificates: [] as DeviceCertificateEntity[],
      assignments: [] as CustodyAssignmentEntity[],
      events: [] as DeviceEventEntity[],
    };
    const audits: AuditEntry[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    const now = new Date();
    // One query for the whole upload (a bundle holds up to 1,000 certificates), not one each.
    const stored = await this.repository.findCertificatesByFingerprints(tx.em, req.organizationId, [
      ...new Set(bundles.map((b) => b.leaf.fingerprintSha256)),
    ]);
    for (const bundle of bundles) {
      const leaf = bundle.leaf;
      const existing = seen.has(leaf.fingerprintSha256) ? null : (stored.get(leaf.fingerprintSha256) ?? null);
      if (existing || seen.has(leaf.fingerprintSha256)) {
        const other = existing ? await this.repository.findById(tx.em, req.organizationId, existing.deviceId) : null;
        if (duplicateIsError) {
          throw new DomainError(
            'CERTIFICATE_DUPLICATE',
            other
              ? `This certificate is already in the inventory as ${other.label} (device ${other.id})`
              : 'The file holds the same certificate twice',
            {
              deviceId: other?.id ?? null,
              deviceLabel: other?.label ?? null,
              fingerprintSha256: leaf.fingerprintSha256,
            },
          );
        }
        duplicates += 1;
        warnings.push({
          code: 'DUPLICATE',
          source: bundle.source,
          deviceId: other?.id ?? null,
          message: `Already in the inventory${other ? ` as ${other.label}` : ''}: skipped`,
        });
        continue;
      }
      seen.add(leaf.fingerprintSha256);
      const label = leaf.subject.commonName ?? leaf.subject.text;
      const expired = leaf.notAfter.getTime() <= now.getTime();
      const device = newDeviceRow(
        {
          organizationId: req.organizationId,
          kind: req.kind,
          status: expired ? 'expired' : 'issued',
          label: label.slice(0, 300),
          workstationId: ws?.id,
          custodianHolderId: custodian,
          expiresAt: leaf.notAfter,
        },
        now,
      );
      rows.certificates.push({
        deviceId: device.id,
        organizationId: req.organizationId,
        serialNumber: leaf.serialNumber,
        subject: leaf.subject,
        issuer: leaf.issuer,
        commonName: leaf.subject.commonName,
        notBefore: leaf.notBefore,
        notAfter: leaf.notAfter,
        fingerprintSha256: leaf.fingerprintSha256,
        keyAlgorithm: leaf.keyAlgorithm,
        keyBits: leaf.keyBits,
        ecCurve: leaf.ecCurve,
        fiscalCode: leaf.fiscalCode,
        selfSigned: leaf.selfSigned,
        pem: leaf.pem,
        sourceName: bundle.source.slice(0, 300),
        chain: bundle.chain.map((c) => ({
          subject: c.subject.text,
          commonName: c.subject.commonName,
          notAfter: c.notAfter.toISOString(),
          fingerprintSha256: c.fingerprintSha256,
          pem: c.pem,
        })),
      });
      for (const [target, holderId, workstationId] of [
        ['holder', custodian, null],
        ['workstation', null, ws?.id ?? null],
      ] as const) {
        if (holderId || workstationId) {
          rows.assignments.push({
            id: randomUUID(),
            organizationId: req.organizationId,
            deviceId: device.id,
            target,
            holderId,
            workstationId,
            startedAt: now,
            endedAt: null,
            assignedBy: req.actor.label,
            endReason: null,
          });
        }
      }
      rows.events.push(
        deviceEvent({
          organizationId: req.organizationId,
          deviceId: device.id,
          type: 'created',
          actor: req.actor,
          at: now,
          toStatus: device.status,
          data: {
            source: bundle.source,
            fingerprintSha256: leaf.fingerprintSha256,
            workstationId: ws?.id ?? null,
            chainLength: bundle.chain.length,
          },
        }),
      );
      audits.push({
        organizationId: req.organizationId,
        actor: req.actor,
        action: 'certificate.imported',
        entity: 'device',
        entityId: device.id,
        data: {
          kind: req.kind,
          label,
          serialNumber: leaf.serialNumber,
          fingerprintSha256: leaf.fingerprintSha256,
          notAfter: leaf.notAfter.toISOString(),
          workstationId: ws?.id ?? null,
        },
      });
      warnings.push(...this.warningsFor(bundle, device, org.istatCode, req.kind, ws, now));
      created.push(device);
      certificates.push({
        id: device.id,
        label: device.label,
        serialNumber: leaf.serialNumber,
        status: device.status,
        notAfter: leaf.notAfter.toISOString(),
        source: bundle.source,
      });
    }
    await this.repository.insertImported(tx.em, rows);
    await this.audit.appendMany(tx, audits);
    // Batched: one context read and a few queries per 500 devices, not a recompute per certificate.
    await this.reminderSweep.onDevicesCreated(tx, req.organizationId, created);
    // A workstation upload holds exactly one certificate (checked in import()).
    if (ws) for (const device of created) await this.replacePredecessors(tx, req, device, ws);
    // A bulk upload is answered from what is in memory; reading 1,000 full devices back (five
    // queries, ~3 KB of JSON each) cost as much as storing them.
    const devices = created.length <= IMPORT_DETAIL_LIMIT ? await this.views.many(tx.em, req.organizationId, created) : [];
    return { imported: created.length, certificates, devices, warnings, duplicates };
  }

  private warningsFor(
    bundle: CertificateBundle,
    device: DeviceEntity,
    istatCode: string,
    kind: CertificateKind,
    ws: WorkstationRef | null,
    now: Date,
  ): ImportWarningDto[] {
    const leaf = bundle.leaf;
    const out: ImportWarningDto[] = [];
    const w = (code: string, message: string) => out.push({ code, source: bundle.source, deviceId: device.id, message });
    if (kind === 'workstation_certificate' && !(leaf.subject.commonName ?? '').startsWith(istatCode)) {
      w(
        'CN_NOT_ISTAT_CODE',
        `The common name "${leaf.subject.commonName ?? ''}" does not start with this Comune's ISTAT code ${istatCode}`,
      );
    }
    if (device.status === 'expired') w('ALREADY_EXPIRED', `The certificate expired on ${leaf.notAfter.toISOString()}`);
    if (leaf.isCa) w('CA_CERTIFICATE', 'The certificate is a CA certificate, not a workstation or server certificate');
    const link = bundle.earliestExpiringChainLink;
    if (link && link.notAfter.getTime() < leaf.notAfter.getTime()) {
      w(
        'CHAIN_EXPIRES_FIRST',
        `The chain certificate "${link.commonName ?? ''}" expires on ${link.notAfter.toISOString()}, before the certificate`,
      );
    }
    if (ws && ws.kind === 'server' && kind === 'workstation_certificate') w('KIND_MISMATCH', `Workstation ${ws.code} is a server`);
    if (device.status !== 'expired' && leaf.notAfter.getTime() - now.getTime() < 30 * 86_400_000)
      w('EXPIRES_SOON', `The certificate expires on ${leaf.notAfter.toISOString()}`);
    return out;
  }

  /** A new certificate for a workstation that has a live one becomes its successor; the old one is to be revoked. */
  private async replacePredecessors(tx: Tx, req: ImportRequest, device: DeviceEntity, ws: WorkstationRef): Promise<void> {
    const olds = await this.repository.findReplaceableOnWorkstation(
      tx.em,
      req.organizationId,
      ws.id,
      ['workstation_certificate', 'server_certificate'],
      LIVE_STATUSES.workstation_certificate,
      device.id,
    );
    for (const old of olds) {
      await this.devices.setSuccessorInTx(tx, req.actor, old, device, old.version);
      await this.tasks.openInTx(tx, req.actor, {
        organizationId: req.organizationId,
        type: 'revocation',
        deviceId: old.id,
        holderId: old.custodianHolderId,
        dueOn: addDays(romeDate(new Date()), 7),
        assigneeRole: 'workstation_admin',
        trigger: 'successor',
        reason: `Revocare ("Cancella" nella consolle) il certificato ${old.label}, sostituito da ${device.label} sulla postazione ${ws.code}`,
      });
    }
  }
}
