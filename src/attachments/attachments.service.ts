import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { Tx } from '../database/unit-of-work.service';
import { AttachmentEntity } from './attachment.entity';
import { AttachmentsRepository } from './attachments.repository';
import { EVIDENCE_MEDIA_TYPES, detectEvidence, isEvidenceMediaType } from './evidence-check';
import { PDF_MEDIA_TYPE, checkPdf } from './pdf-check';

/** What an upload route receives (multer's memory storage). */
export interface UploadedFileLike {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

const CHECKED = Symbol('checked upload');

/**
 * A file that passed the checks. Made only by `checkPdfUpload`, so `store` cannot be handed an
 * unchecked file; checking happens before the transaction, so a refused file never opens one.
 */
export interface CheckedUpload {
  readonly [CHECKED]: true;
  readonly content: Buffer;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sha256: string;
  readonly pages: number;
}

export interface AttachmentView {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  createdBy: string;
}

export interface AttachmentContent {
  fileName: string;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

/** Uploaded evidence (signed acts, incident documents): checked, hashed, stored in the database. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Refuses anything but a readable PDF within the configured size. Touches no database. */
  async checkPdfUpload(file: UploadedFileLike | undefined): Promise<CheckedUpload> {
    if (!file || !Buffer.isBuffer(file.buffer)) {
      throw new DomainError('ATTACHMENT_FILE_REQUIRED', 'Send the file as multipart/form-data in the field "file"');
    }
    const limit = this.config.http.uploadLimitBytes;
    if (file.buffer.length > limit) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than ${limit} bytes`, { limitBytes: limit });
    }
    const verdict = await checkPdf(file.buffer);
    if (!verdict.ok) {
      if (verdict.reason === 'not_pdf') {
        throw new DomainError('ATTACHMENT_NOT_PDF', 'Only PDF files are accepted: the content is not a PDF', { reason: verdict.reason });
      }
      throw new DomainError('ATTACHMENT_PDF_UNREADABLE', 'The PDF cannot be read: it is damaged, encrypted or empty', {
        reason: verdict.reason,
      });
    }
    return {
      [CHECKED]: true,
      content: file.buffer,
      fileName: safeFileName(file.originalname, 'documento.pdf'),
      mediaType: PDF_MEDIA_TYPE,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      pages: verdict.pages,
    };
  }

  /**
   * Incident evidence: a readable PDF (checked as above), or a PNG, JPEG or UTF-8 text file,
   * recognised by content. Touches no database.
   */
  async checkEvidenceUpload(file: UploadedFileLike | undefined): Promise<CheckedUpload> {
    if (file && Buffer.isBuffer(file.buffer) && file.buffer.subarray(0, 5).toString('latin1') === '%PDF-') return this.checkPdfUpload(file);
    if (!file || !Buffer.isBuffer(file.buffer)) {
      throw new DomainError('ATTACHMENT_FILE_REQUIRED', 'Send the file as multipart/form-data in the field "file"');
    }
    const limit = this.config.http.uploadLimitBytes;
    if (file.buffer.length > limit) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than ${limit} bytes`, { limitBytes: limit });
    }
    const kind = detectEvidence(file.buffer);
    if (!kind) throw new DomainError('ATTACHMENT_TYPE_NOT_ALLOWED', 'Evidence must be a PDF, a PNG or JPEG image, or a UTF-8 text file');
    return {
      [CHECKED]: true,
      content: file.buffer,
      fileName: safeFileName(file.originalname, `prova.${kind === 'text' ? 'txt' : kind}`),
      mediaType: EVIDENCE_MEDIA_TYPES[kind],
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      pages: 0,
    };
  }

  /** Stores a checked file in the caller's transaction and records it in the audit chain. */
  async store(tx: Tx, organizationId: string, actor: Actor, upload: CheckedUpload, purpose: string): Promise<AttachmentView> {
    const row: AttachmentEntity = {
      id: randomUUID(),
      organizationId,
      sha256: upload.sha256,
      sizeBytes: upload.content.length,
      mediaType: upload.mediaType,
      fileName: upload.fileName,
      content: upload.content,
      createdAt: new Date(),
      createdBy: actor.label,
    };
    await this.repository.insert(tx.em, row);
    await this.audit.append(tx, {
      organizationId,
      actor,
      action: 'attachment.stored',
      entity: 'attachment',
      entityId: row.id,
      data: { sha256: row.sha256, sizeBytes: row.sizeBytes, mediaType: row.mediaType, purpose },
    });
    return mapAttachment(row);
  }

  /** Metadata of several attachments, keyed by id, inside the caller's read or transaction. */
  async describe(em: EntityManager, organizationId: string, ids: string[]): Promise<Map<string, AttachmentView>> {
    const rows = await this.repository.findByIds(em, organizationId, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, mapAttachment(r)]));
  }

  /**
   * A stored attachment cited as evidence (e.g. of a confirmed task), inside the caller's
   * transaction: it must belong to the Comune (another Comune's id is not found) and be of a kind
   * accepted as evidence.
   */
  async evidence(em: EntityManager, organizationId: string, id: string): Promise<AttachmentView> {
    const row = await this.repository.findById(em, organizationId, id);
    if (!row) throw new DomainError('ATTACHMENT_NOT_FOUND', 'Attachment not found', { attachmentId: id });
    if (!isEvidenceMediaType(row.mediaType)) {
      throw new DomainError('ATTACHMENT_NOT_EVIDENCE', 'This attachment cannot be evidence: only PDF, PNG, JPEG or text files are', {
        attachmentId: id,
        mediaType: row.mediaType,
      });
    }
    return mapAttachment(row);
  }

  /** The bytes, for a download route whose owner has already checked the caller may see them. */
  async content(em: EntityManager, organizationId: string, id: string): Promise<AttachmentContent> {
    const row = await this.repository.findWithContent(em, organizationId, id);
    if (!row) throw new DomainError('ATTACHMENT_NOT_FOUND', 'Attachment not found');
    return { fileName: row.fileName, mediaType: row.mediaType, sha256: row.sha256, content: Buffer.from(row.content) };
  }
}

export function mapAttachment(row: AttachmentEntity): AttachmentView {
  return {
    id: row.id,
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

/** The last path segment, without control or reserved characters, at most 200 characters. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f && !'"<>|:*?'.includes(ch))
    .join('')
    .trim()
    .slice(-200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}
