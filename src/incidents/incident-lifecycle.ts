import type { CallOutcome, CallRequest, IncidentStatus, IncidentType } from './incident.entity';

/** The incident lifecycle (domain.md section 5): open -> contained -> reported -> closed; closed is final. */
export const INCIDENT_ACTIONS = ['contain', 'mark_reported', 'close'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export const INCIDENT_LIFECYCLE: Readonly<Record<IncidentStatus, Readonly<Partial<Record<IncidentAction, IncidentStatus>>>>> = {
  open: { contain: 'contained' },
  contained: { mark_reported: 'reported' },
  reported: { close: 'closed' },
  closed: {},
};

export function nextIncidentStatus(from: IncidentStatus, action: IncidentAction): IncidentStatus | null {
  return INCIDENT_LIFECYCLE[from][action] ?? null;
}

export const INCIDENT_TYPE_LABELS_IT: Record<IncidentType, string> = {
  suspicious_call: 'Chiamata sospetta',
  unauthorized_access_attempt: 'Tentativo di accesso non autorizzato',
  remote_session_granted: 'Sessione remota concessa',
  credentials_disclosed: 'Credenziali comunicate',
  device_lost: 'Dispositivo smarrito',
  device_stolen: 'Dispositivo rubato',
  certificate_exported: 'Certificato esportato',
  other: 'Altro',
};

export const INCIDENT_STATUS_LABELS_IT: Record<IncidentStatus, string> = {
  open: 'Aperto',
  contained: 'Contenuto',
  reported: 'Segnalato alle autorità',
  closed: 'Chiuso',
};

export const INCIDENT_ACTION_LABELS_IT: Record<IncidentAction, string> = {
  contain: 'Contenimento registrato',
  mark_reported: 'Segnalazioni a Polizia e DCSD completate',
  close: 'Incidente chiuso',
};

export const CALL_REQUEST_LABELS_IT: Record<CallRequest, string> = {
  remote_access: 'accesso remoto al computer',
  credentials: 'credenziali (password, PIN, codici)',
  install_software: 'installazione di programmi',
  other: 'altro',
};

export const CALL_OUTCOME_LABELS_IT: Record<CallOutcome, string> = {
  nothing: 'nulla',
  remote_session_granted: 'sessione remota concessa',
  credentials_disclosed: 'credenziali digitate o comunicate',
  software_installed: 'programma installato',
};

/** The incident type a quick report describes: the worst thing that was done. */
export function typeOfCall(done: readonly CallOutcome[]): IncidentType {
  if (done.includes('credentials_disclosed')) return 'credentials_disclosed';
  if (done.includes('remote_session_granted')) return 'remote_session_granted';
  if (done.includes('software_installed')) return 'unauthorized_access_attempt';
  return 'suspicious_call';
}

/** Anything granted or disclosed: containment is proposed and the GDPR clock starts. */
export const somethingGiven = (done: readonly CallOutcome[]): boolean => done.some((d) => d !== 'nothing');
