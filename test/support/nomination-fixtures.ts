import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import PDFDocument from 'pdfkit';
import { UnitOfWork } from '../../src/database/unit-of-work.service';
import { DeviceEntity } from '../../src/devices/entities/device.entity';
import { HolderEntity } from '../../src/holders/holder.entity';
import { WorkstationEntity } from '../../src/workstations/workstation.entity';
import { TestApp } from './test-app';
import { newDeviceRow } from '../../src/devices/new-device-row';

/*
 * Inventory rows written straight to the database: the nominations tests need holders, smart cards
 * and certificates but not the inventory's HTTP flows (tested in its own files).
 */

let counter = 0;
const letters = (n: number): string =>
  n
    .toString(26)
    .toUpperCase()
    .replace(/\d/g, (d) => 'QRSTUVWXYZ'[Number(d)]);

export async function insertHolder(
  t: TestApp,
  organizationId: string,
  fields: { firstName: string; lastName: string; email?: string; userId?: string; leaver?: boolean },
): Promise<string> {
  counter += 1;
  const id = randomUUID();
  const now = new Date();
  const row: HolderEntity = {
    id,
    organizationId,
    firstName: fields.firstName,
    lastName: fields.lastName,
    fiscalCode: `TST${letters(counter).padStart(5, 'A')}00A01H501`.slice(0, 16),
    email: fields.email ?? null,
    office: 'Servizi demografici',
    roleDescription: null,
    employmentStatus: fields.leaver ? 'leaver' : 'active',
    leaverReason: fields.leaver ? 'transfer' : null,
    leftOn: fields.leaver ? '2025-01-31' : null,
    leaverNote: null,
    userId: fields.userId ?? null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await t.app.get(UnitOfWork).run((tx) => tx.em.getRepository(HolderEntity).insert(row));
  return id;
}

export async function setHolderLeaver(t: TestApp, holderId: string, leaver: boolean): Promise<void> {
  await t.app
    .get(UnitOfWork)
    .run((tx) => tx.em.getRepository(HolderEntity).update({ id: holderId }, { employmentStatus: leaver ? 'leaver' : 'active' }));
}

export async function insertWorkstation(
  t: TestApp,
  organizationId: string,
  code: string,
  custodianHolderId: string | null = null,
): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const row: WorkstationEntity = {
    id,
    organizationId,
    kind: 'workstation',
    code,
    hostname: null,
    ipAddress: null,
    office: null,
    function: null,
    isPortable: false,
    isPersonal: false,
    custodianHolderId,
    status: 'active',
    notes: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await t.app.get(UnitOfWork).run((tx) => tx.em.getRepository(WorkstationEntity).insert(row));
  return id;
}

export async function insertDevice(
  t: TestApp,
  organizationId: string,
  fields: Pick<DeviceEntity, 'kind' | 'status' | 'label'> & Partial<Pick<DeviceEntity, 'holderId' | 'workstationId' | 'custodianHolderId'>>,
): Promise<string> {
  const row = newDeviceRow({ organizationId, ...fields });
  await t.app.get(UnitOfWork).run((tx) => tx.em.getRepository(DeviceEntity).insert(row));
  return row.id;
}

export async function updateDevice(t: TestApp, id: string, changes: Partial<DeviceEntity>): Promise<void> {
  await t.app.get(UnitOfWork).run((tx) => tx.em.getRepository(DeviceEntity).update({ id }, changes));
}

/** A small real PDF with the given lines. */
export function makePdf(...lines: string[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    for (const line of lines.length ? lines : ['Decreto sindacale']) doc.text(line);
    doc.end();
  });
}

/**
 * The text of a PDF, read by pdf-parse in a worker thread: pdf.js loads its own worker with a
 * dynamic import, which jest's module system does not allow.
 */
export function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { PDFParse } = require(workerData.modulePath);
    (async () => {
      const parser = new PDFParse({ data: workerData.data, verbosity: 0 });
      try {
        const result = await parser.getText();
        parentPort.postMessage({ text: result.text, pages: result.total });
      } catch (error) {
        parentPort.postMessage({ error: String(error) });
      } finally {
        await parser.destroy();
      }
    })();`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { modulePath: require.resolve('pdf-parse'), data: new Uint8Array(pdf) } });
    worker.once('message', (m: { text: string; pages: number } | { error: string }) => {
      void worker.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface NominationInput {
  role: string;
  holderId: string;
  actNumber?: string;
  actDate?: string;
  effectiveFrom?: string;
  effectiveUntil?: string;
  signedBy?: string;
  scope?: { certificateIds?: string[]; workstationIds?: string[] };
}

/** Creates a nomination and takes it to `until` through the public API (as the Mayor's office). */
export async function nominate(
  t: TestApp,
  orgId: string,
  token: string,
  input: NominationInput,
  until: 'draft' | 'attached' | 'signed' | 'active' = 'active',
): Promise<{ id: string; body: Record<string, unknown> }> {
  const base = `/api/v1/orgs/${orgId}/nominations`;
  const created = await t
    .http()
    .post(base)
    .set(auth(token))
    .send({
      actNumber: `${++counter}/2025`,
      actDate: '2025-10-01',
      effectiveFrom: '2025-10-01',
      signedBy: 'Il Sindaco, Anna Bianchi',
      ...input,
    });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  let body = created.body as Record<string, unknown>;
  if (until === 'draft') return { id, body };
  const pdf = await makePdf(`Decreto sindacale n. ${String(body.actNumber)}`);
  const attached = await t.http().post(`${base}/${id}/act`).set(auth(token)).attach('file', pdf, 'decreto.pdf');
  if (attached.status !== 201) throw new Error(`attach: ${attached.status} ${JSON.stringify(attached.body)}`);
  body = attached.body as Record<string, unknown>;
  if (until === 'attached') return { id, body };
  const signed = await t.http().post(`${base}/${id}/sign`).set(auth(token)).send({});
  if (signed.status !== 200) throw new Error(`sign: ${signed.status} ${JSON.stringify(signed.body)}`);
  body = signed.body as Record<string, unknown>;
  if (until === 'signed') return { id, body };
  const active = await t.http().post(`${base}/${id}/activate`).set(auth(token)).send({});
  if (active.status !== 200) throw new Error(`activate: ${active.status} ${JSON.stringify(active.body)}`);
  return { id, body: active.body as Record<string, unknown> };
}
