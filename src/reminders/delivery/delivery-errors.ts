/** A delivery that retrying cannot fix (no address, a revoked endpoint, a 5xx SMTP reply). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** The reason stored on the ledger row: short, and with addresses removed (no personal data). */
export function deliveryReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/[^\s<>"']+@[^\s<>"']+/g, '[address]').slice(0, 500);
}
