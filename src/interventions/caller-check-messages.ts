import { CallerCheckOutcome, CallerCheckReason } from './caller-check.entity';

/** What the operator reads while the caller is on the line: plain Italian, one decision, short steps. */
export interface CallerCheckText {
  title: string;
  message: string;
  steps: string[];
}

export interface MessageFacts {
  claimedCompany: string;
  claimedTechnician: string;
  provider: { name: string; callbackPhone: string; callbackEmail: string } | null;
  intervention: { windowLabel: string; channelLabel: string; remoteTool: string | null; purpose: string; workstations: string[] } | null;
}

const NEVER =
  'Non comunicare mai password, PIN, PUK o codici ricevuti per SMS o e-mail: nessun tecnico ne ha bisogno, nemmeno in caso di urgenza.';
const DO_NOT_PROCEED = 'Non consentire connessioni remote, non installare programmi, non digitare né dettare credenziali.';
const HANG_UP = 'Chiudi la telefonata con cortesia: non serve discutere né spiegare.';

function callBack(provider: MessageFacts['provider']): string {
  return provider
    ? `Richiama ${provider.name} al numero verificato ${provider.callbackPhone} (o scrivi a ${provider.callbackEmail}), mai al numero che ti ha dato chi chiama.`
    : "Se vuoi verificare, cerca il numero dell'azienda nel contratto o chiedi all'Amministratore locale della sicurezza: mai il numero che ti ha dato chi chiama.";
}

/** Closes a sentence unless it already ends with a full stop (a name like "Alfa S.r.l."). */
const end = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

const REPORT = 'Segnala subito la chiamata con la segnalazione rapida di Custode: i dati sono già compilati.';

/** The answer's text, from the outcome and the facts; nothing here depends on the phrase itself. */
export function callerCheckText(outcome: CallerCheckOutcome, reason: CallerCheckReason, f: MessageFacts): CallerCheckText {
  if (outcome === 'expected' && f.intervention && f.provider) {
    const i = f.intervention;
    const how = i.remoteTool ? `${i.channelLabel.toLowerCase()}, solo con ${i.remoteTool}` : i.channelLabel.toLowerCase();
    const where = i.workstations.length > 0 ? ` Postazioni interessate: ${i.workstations.join(', ')}.` : '';
    return {
      title: 'Intervento previsto',
      message:
        `Intervento previsto: ${f.claimedTechnician} di ${f.provider.name} è atteso ${i.windowLabel} (${how}) per: ${end(i.purpose)}${where} ` +
        `La frase di verifica è corretta. Puoi procedere, limitandoti a quanto concordato. ${NEVER}`,
      steps: [
        `Consenti solo quanto concordato: ${end(i.purpose)}`,
        ...(i.remoteTool
          ? [`Per la connessione remota usa solo ${i.remoteTool}, e resta davanti allo schermo finché il tecnico lavora.`]
          : []),
        NEVER,
        'Se la richiesta cambia o ti sembra strana, interrompi e chiama l’Amministratore locale della sicurezza.',
      ],
    };
  }
  if (outcome === 'unverifiable') {
    const why =
      reason === 'phrase_missing'
        ? 'ma chi chiama non ha detto la frase di verifica'
        : reason === 'phrase_blocked'
          ? 'ma la frase di verifica è stata bloccata dopo troppi tentativi errati'
          : 'ma la frase di verifica detta da chi chiama non è corretta';
    return {
      title: 'Identità NON verificabile',
      message:
        `Identità NON verificabile: esiste un intervento concordato con ${f.provider?.name ?? f.claimedCompany} in questo momento, ${end(why)} ` +
        `Non procedere. ${DO_NOT_PROCEED} ${HANG_UP} ${callBack(f.provider)} Se il dubbio resta, segnala la chiamata.`,
      steps: [
        'Non procedere.',
        DO_NOT_PROCEED,
        HANG_UP,
        callBack(f.provider),
        'Se il fornitore non conferma, segnala la chiamata con la segnalazione rapida.',
      ],
    };
  }
  const why =
    reason === 'unknown_company'
      ? `${f.claimedCompany} non è tra i fornitori registrati dal Comune`
      : reason === 'technician_not_named'
        ? `${f.claimedTechnician} non è tra i tecnici indicati per l'intervento in corso con ${f.provider?.name ?? f.claimedCompany}`
        : `non risulta alcun intervento concordato con ${f.provider?.name ?? f.claimedCompany} in questo momento`;
  return {
    title: 'Chiamata NON prevista',
    message:
      `Chiamata NON prevista: ${end(why)} Non procedere. ${DO_NOT_PROCEED} ${HANG_UP} ${callBack(f.provider)} ` +
      `Poi segnala la chiamata con la segnalazione rapida (Circolare DAIT 74/2025).`,
    steps: ['Non procedere.', DO_NOT_PROCEED, HANG_UP, callBack(f.provider), REPORT],
  };
}
