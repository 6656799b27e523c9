import ical, { ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';

/** One all-day event of the feed. */
export interface IcsEvent {
  uid: string;
  /** 'YYYY-MM-DD' (Europe/Rome): an all-day event. */
  day: string;
  summary: string;
  description: string;
  /** When the event last changed. */
  stamp: Date;
}

/**
 * The feed as RFC 5545 text, written by ical-generator (escaping, 75-octet folding, CRLF).
 * All-day dates are given as UTC midnights of the Rome day and the calendar has no time zone of
 * its own, so the library writes the day itself (`DTSTART;VALUE=DATE:…`), whatever the process's
 * time zone.
 */
export function icsCalendar(name: string, events: IcsEvent[]): string {
  const calendar = ical({
    name,
    prodId: { company: 'Custode', product: 'Scadenze ANPR', language: 'IT' },
    method: ICalCalendarMethod.PUBLISH,
    x: [{ key: 'X-WR-TIMEZONE', value: 'Europe/Rome' }],
  });
  for (const e of events) {
    const start = new Date(`${e.day}T00:00:00Z`);
    calendar.createEvent({
      id: e.uid,
      allDay: true,
      start,
      end: new Date(start.getTime() + 86_400_000),
      stamp: e.stamp,
      summary: e.summary,
      description: e.description,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF; the library omits the last.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
