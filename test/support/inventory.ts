import { execFileSync } from 'node:child_process';
import { TestApp } from './test-app';

const ODD: Record<string, number> = {
  0: 1,
  1: 0,
  2: 5,
  3: 7,
  4: 9,
  5: 13,
  6: 15,
  7: 17,
  8: 19,
  9: 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};
const even = (ch: string): number => (/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65);

/** A valid codice fiscale for test person number `n` (made-up, checksum right). */
export function fiscalCode(n: number): string {
  const letters = 'BCDFGHLMNPRSTVZ';
  const a = letters[n % 15] as string;
  const b = letters[Math.floor(n / 15) % 15] as string;
  const c = letters[Math.floor(n / 225) % 15] as string;
  const day = String((n % 28) + 1).padStart(2, '0');
  const body = `${a}${b}${c}MRA80A${day}H501`;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? (ODD[body[i] as string] as number) : even(body[i] as string);
  return body + String.fromCharCode(65 + (sum % 26));
}

let people = Math.floor(Math.random() * 3000);

export async function createHolder(t: TestApp, orgId: string, token: string, extra: Record<string, unknown> = {}) {
  const n = people++;
  const res = await t
    .http()
    .post(`/api/v1/orgs/${orgId}/holders`)
    .auth(token, { type: 'bearer' })
    .send({ firstName: `Nome${n}`, lastName: `Cognome${n}`, fiscalCode: fiscalCode(n), email: `persona${n}@comune.test`, ...extra });
  if (res.status !== 201) throw new Error(`create holder failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string; fiscalCode: string; version: number };
}

/** The text of a PDF, read with pdf-parse in a child process (its pdf.js build is ESM-only). */
export function pdfText(pdf: Buffer): string {
  const script =
    "const {PDFParse}=require('pdf-parse');const c=[];process.stdin.on('data',d=>c.push(d));process.stdin.on('end',async()=>{" +
    'const p=new PDFParse({data:new Uint8Array(Buffer.concat(c))});const t=await p.getText();await p.destroy();process.stdout.write(t.text);});';
  return execFileSync(process.execPath, ['-e', script], { input: pdf, encoding: 'utf8', cwd: process.cwd() });
}

/** supertest's binary body parser, for PDF and other downloads. */
export const binary = (res: unknown, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};
