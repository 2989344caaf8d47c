import type { TFunction } from 'i18next';

/** A duration as staff read it: hours and minutes ("約2時間55分"), "1分未満" under a minute. */
export function formatDuration(t: TFunction, seconds: number): string {
  if (seconds < 60) return t('sync.durationUnderMinute');
  const total = Math.round(seconds / 60);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return t('sync.durationMinutes', { minutes });
  if (minutes === 0) return t('sync.durationHours', { hours });
  return t('sync.durationHoursMinutes', { hours, minutes });
}

/** The clock time a duration from now ends at, as 17:40 in both languages. */
export function endClock(seconds: number, locale: string, now: number = Date.now()): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(now + seconds * 1000),
  );
}

/** "約2時間55分（17:40ごろ終了）"; while paused the duration held, without an end time; "不明" while nothing moves. */
export function formatEta(t: TFunction, locale: string, eta: { seconds: number | null; paused: boolean }, now?: number): string {
  if (eta.seconds === null) return t('sync.etaUnknown');
  const duration = formatDuration(t, eta.seconds);
  if (eta.paused) return t('sync.etaPaused', { duration });
  return t('sync.etaWithEnd', { duration, end: endClock(eta.seconds, locale, now) });
}
