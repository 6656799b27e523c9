import { KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import forge from 'node-forge';
import { Rng } from './rng';

const DAY_MS = 86_400_000;
const OFFICES = ['Servizi Demografici', 'Anagrafe', 'Stato Civile', 'Elettorale', 'Protocollo', 'Polizia Locale'];

export interface CertificateSet {
  /** One PEM per workstation certificate, in generation order. */
  pems: string[];
  /** The ISTAT code every common name starts with (the Comune to import into). */
  istatCode: string;
  generationMs: number;
}

export interface CertificateOptions {
  count: number;
  seed: number;
  istatCode: string;
  /** Distinct RSA-2048 subject keys shared by the certificates (key generation is the slow part). */
  keys?: number;
  /** Validity starts are spread over the 3 years before this instant. */
  anchor?: Date;
}

function rsaPair(): { privateKey: KeyObject; forgePublic: forge.pki.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, forgePublic: forge.pki.publicKeyFromPem(pem) };
}

/** Whole seconds: X.509 times carry no milliseconds. */
const seconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

/**
 * RSA-2048 workstation certificates as the ANPR CA issues them: a test CA signs every one with
 * OpenSSL (node:crypto), forge builds the TBS structure. Serials, subjects and validity come from
 * the seeded stream; the keys are fresh on each run (a handful, shared), so the PEM bytes differ
 * between runs but their shape and sizes do not.
 */
export function generateWorkstationCertificates(options: CertificateOptions): CertificateSet {
  const started = performance.now();
  const rng = new Rng(options.seed);
  const anchor = options.anchor ?? new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const ca = rsaPair();
  const subjectKeys = Array.from({ length: options.keys ?? 4 }, () => rsaPair().forgePublic);
  const caName = [
    { shortName: 'C', value: 'IT' },
    { shortName: 'O', value: "Ministero dell'Interno" },
    { shortName: 'OU', value: 'Benchmark ANPR' },
    { shortName: 'CN', value: 'CA Postazioni ANPR (benchmark)' },
  ];
  const caKeyId = forge.pki.getPublicKeyFingerprint(ca.forgePublic, { type: 'RSAPublicKey' }).getBytes();
  const pems: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const cert = forge.pki.createCertificate();
    cert.publicKey = subjectKeys[i % subjectKeys.length] as forge.pki.PublicKey;
    const serial = rng.bytes(16);
    serial[0] = (serial[0]! & 0x7f) | 0x01;
    cert.serialNumber = serial.toString('hex');
    const notBefore = anchor.getTime() - rng.int(0, 3 * 365) * DAY_MS - rng.int(0, 86_399) * 1000;
    cert.validity.notBefore = seconds(notBefore);
    cert.validity.notAfter = seconds(notBefore + 3 * 365 * DAY_MS);
    cert.setSubject([
      { shortName: 'C', value: 'IT' },
      { shortName: 'O', value: `Comune ${options.istatCode}` },
      { shortName: 'OU', value: rng.pick(OFFICES) },
      { shortName: 'CN', value: `${options.istatCode}-PDL-${String(i + 1).padStart(5, '0')}-${rng.int(1000, 9999)}` },
    ]);
    cert.setIssuer(caName);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId },
    ]);
    const signed = cert as forge.pki.Certificate & {
      siginfo: { algorithmOid: string };
      signatureOid: string;
      tbsCertificate: forge.asn1.Asn1;
    };
    signed.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
    signed.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
    signed.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(
      cert,
    );
    const tbs = Buffer.from(forge.asn1.toDer(signed.tbsCertificate).getBytes(), 'binary');
    signed.signature = sign('sha256', tbs, ca.privateKey).toString('binary');
    pems.push(forge.pki.certificateToPem(cert));
  }
  return { pems, istatCode: options.istatCode, generationMs: performance.now() - started };
}

/** Bundles of `size` PEMs concatenated, as an ALS would upload a CA's batch. */
export function pemBundles(pems: readonly string[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < pems.length; i += size) out.push(pems.slice(i, i + size).join(''));
  return out;
}
