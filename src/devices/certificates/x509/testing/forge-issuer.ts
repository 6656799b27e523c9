import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import forge from 'node-forge';

/**
 * Test support: many RSA certificates fast. forge lays out the certificate and node:crypto signs
 * it: signing 1,000 certificates with forge's JavaScript RSA, or spawning openssl 1,000 times,
 * would take far longer.
 */
export interface Party {
  name: string;
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: KeyObject;
}

export function party(name: string): Party {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    name,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKey,
  };
}

/** Declared by forge 1.4, missing from its type definitions. */
const getTBSCertificate = (forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;

let serial = 1;

/** A PEM certificate for `subject` signed by `issuer`; serials count up from 1 in each process. */
export function certificate(
  subject: Party,
  issuer: Party,
  options: { ca?: boolean; notBefore?: Date; notAfter?: Date; subjectName?: string } = {},
): string {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = (serial++).toString(16).padStart(4, '0');
  cert.publicKey = subject.publicKey;
  cert.validity.notBefore = options.notBefore ?? new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = options.notAfter ?? new Date('2030-01-01T00:00:00Z');
  cert.setSubject([{ name: 'commonName', value: options.subjectName ?? subject.name }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.name }]);
  cert.setExtensions([{ name: 'basicConstraints', cA: options.ca ?? false, critical: true }]);
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = Buffer.from(forge.asn1.toDer(getTBSCertificate(cert)).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, issuer.privateKey).toString('binary');
  return forge.pki.certificateToPem(cert);
}
