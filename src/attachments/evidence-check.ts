import { PDF_MEDIA_TYPE } from './pdf-check';

/**
 * The kinds of evidence file an incident accepts besides PDF, recognised by content (never by the
 * declared type or the name): photos and screenshots (PNG, JPEG) and plain text (a log, a copied
 * message) in UTF-8.
 */
export type EvidenceKind = 'png' | 'jpeg' | 'text';

export const EVIDENCE_MEDIA_TYPES: Record<EvidenceKind, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  text: 'text/plain; charset=utf-8',
};

/**
 * Media types a stored attachment may have to count as evidence (of an incident, of a confirmed
 * task): PDF and the kinds above. Stored media types are decided from the content at upload.
 */
export function isEvidenceMediaType(mediaType: string): boolean {
  return mediaType === PDF_MEDIA_TYPE || (Object.values(EVIDENCE_MEDIA_TYPES) as string[]).includes(mediaType);
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

export function detectEvidence(content: Buffer): EvidenceKind | null {
  if (content.length >= PNG_MAGIC.length && content.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'png';
  if (content.length >= JPEG_MAGIC.length && content.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) return 'jpeg';
  if (content.length > 0 && !content.includes(0) && isUtf8(content)) return 'text';
  return null;
}

function isUtf8(content: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}
