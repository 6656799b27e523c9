import { StreamableFile } from '@nestjs/common';

/** A file to download: its name survives in both the ASCII and the RFC 5987 UTF-8 form. */
export const asDownload = (file: { fileName: string; mediaType: string; content: Buffer }): StreamableFile =>
  new StreamableFile(file.content, {
    type: file.mediaType,
    length: file.content.length,
    disposition: `attachment; filename="${file.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  });
