import { DeviceKind, DeviceStatus, LifecycleAction, StatusOf } from './device-lifecycle';

export const KIND_LABELS_IT: Readonly<Record<DeviceKind, string>> = {
  workstation_certificate: 'Certificato di postazione',
  server_certificate: 'Certificato server',
  smart_card: 'Smart card',
  credential: 'Credenziale',
};

const CERTIFICATE_STATUS_LABELS = {
  issued: 'Emesso',
  installed: 'Installato',
  uninstalled: 'Disinstallato',
  compromised: 'Compromesso',
  revoked: 'Revocato',
  expired: 'Scaduto',
} as const;

/**
 * Per kind, because Italian adjectives agree with the noun: a certificato is 'Scaduto', a smart
 * card 'Scaduta'.
 */
export const STATUS_LABELS_IT: {
  readonly [K in DeviceKind]: Readonly<Record<StatusOf<K>, string>>;
} = {
  workstation_certificate: CERTIFICATE_STATUS_LABELS,
  server_certificate: CERTIFICATE_STATUS_LABELS,
  smart_card: {
    requested: 'Richiesta',
    in_production: 'In lavorazione',
    at_prefecture: 'In Prefettura',
    delivered_to_comune: 'Consegnata al Comune',
    handed_to_holder: 'Consegnata al titolare',
    active: 'Attiva',
    pin_blocked: 'PIN bloccato',
    suspended_in_comune: 'Sospesa nel Comune',
    lost: 'Smarrita',
    stolen: 'Rubata',
    defective: 'Guasta',
    expired: 'Scaduta',
    blocked_replaced: 'Bloccata e sostituita',
    returned: 'Restituita',
    destroyed: 'Distrutta',
    cancelled: 'Richiesta annullata',
  },
  credential: {
    enabled: 'Abilitata',
    active: 'Attiva',
    suspended: 'Sospesa',
    compromised: 'Compromessa',
    deleted: 'Eliminata',
  },
};

export function statusLabelIt(kind: DeviceKind, status: DeviceStatus): string {
  const labels: Partial<Record<DeviceStatus, string>> = STATUS_LABELS_IT[kind];
  return labels[status] ?? status;
}

export const ACTION_LABELS_IT: Readonly<Record<LifecycleAction, string>> = {
  install: 'Installa sulla postazione',
  uninstall: 'Disinstalla',
  revoke: 'Registra la revoca',
  start_production: 'Registra avvio lavorazione',
  send_to_prefecture: 'Registra invio in Prefettura',
  deliver_to_comune: 'Registra consegna al Comune',
  hand_to_holder: 'Consegna al titolare',
  cancel: 'Annulla la richiesta',
  activate: 'Attiva',
  block_pin: 'Registra blocco PIN',
  unblock_pin: 'Registra sblocco PIN',
  suspend_in_comune: 'Sospendi nel Comune',
  suspend: 'Sospendi',
  reinstate: 'Riattiva',
  reset: 'Reimposta le credenziali',
  mark_compromised: 'Segnala compromissione',
  report_lost: 'Segnala smarrimento',
  report_stolen: 'Segnala furto',
  report_defective: 'Segnala guasto',
  block_and_replace: 'Registra blocco e sostituzione',
  expire: 'Registra la scadenza',
  return: 'Registra la restituzione',
  destroy: 'Registra la distruzione',
  delete: 'Elimina',
};
