import type { SettingsView } from '@shared/contract';
import { cronToPicker, isPickerTime, nextRuns, pickerToCron, type ScheduleDays } from '@shared/schedule';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n';
import { useLocale } from '../../state/app';
import { recordsActions } from '../../state/records';
import { FieldError, type FieldMessage, invalidProps } from './FieldError';

type DayKind = 'off' | ScheduleDays['kind'];
/** Monday first, as office calendars in Japan are read; cron numbers (0 = Sunday). */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;

/** "12月1日（火）02:00" in Japanese, the locale's own short form otherwise. */
export function formatRun(date: Date, locale: string): string {
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  if (locale === 'ja') {
    const weekday = new Intl.DateTimeFormat('ja-JP', { weekday: 'short' }).format(date);
    return `${date.getMonth() + 1}月${date.getDate()}日（${weekday}）${time}`;
  }
  return `${new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric' }).format(date)}, ${time}`;
}

interface Draft {
  kind: DayKind;
  days: number[];
  times: string[];
  advanced: boolean;
  cron: string;
}

function initialDraft(cron: string | null): Draft {
  if (!cron) return { kind: 'off', days: [1, 2, 3, 4, 5], times: ['02:00'], advanced: false, cron: '' };
  const picker = cronToPicker(cron);
  if (!picker) return { kind: 'weekdays', days: [1, 2, 3, 4, 5], times: ['02:00'], advanced: true, cron };
  return {
    kind: picker.days.kind,
    days: picker.days.kind === 'days' ? picker.days.days : [1, 2, 3, 4, 5],
    times: picker.times,
    advanced: false,
    cron,
  };
}

function pickedCron(draft: Draft): string | null {
  if (draft.kind === 'off') return null;
  const days: ScheduleDays = draft.kind === 'days' ? { kind: 'days', days: draft.days } : { kind: draft.kind };
  return pickerToCron({ days, times: draft.times });
}

/** What the draft would store: the picked schedule, or the advanced cron text. */
function draftExpression(draft: Draft): string | null {
  return draft.advanced ? draft.cron.trim() || null : pickedCron(draft);
}

type ScheduleField = 'days' | 'times' | 'cron';

/**
 * The unattended sync schedule as office staff set it: every day, weekdays or chosen days, at one or more
 * times; cron only under "詳細設定". The next three runs of what is on screen show before saving.
 */
export function SchedulePicker({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [draft, setDraft] = useState<Draft>(() => initialDraft(settings.schedule.cron));
  const [errors, setErrors] = useState<Partial<Record<ScheduleField, FieldMessage>>>({});
  const ids = { base: useId(), cron: useId(), cronHint: useId(), runs: useId() };
  const err = (field: ScheduleField) => `${ids.base}-${field}`;
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const expression = draftExpression(draft);
  const runs = expression ? nextRuns(expression, 3) : [];

  const toggleAdvanced = (open: boolean) => {
    if (open === draft.advanced) return;
    if (open) return update({ advanced: true, cron: pickedCron(draft) ?? draft.cron });
    // Back to the picker with what the cron says, when the picker can say it.
    const picker = draft.cron.trim() ? cronToPicker(draft.cron) : null;
    if (!picker) return update({ advanced: false });
    update({
      advanced: false,
      kind: picker.days.kind,
      days: picker.days.kind === 'days' ? picker.days.days : draft.days,
      times: picker.times,
    });
  };

  const check = (): Partial<Record<ScheduleField, FieldMessage>> => {
    if (draft.advanced || draft.kind === 'off') return {};
    const found: Partial<Record<ScheduleField, FieldMessage>> = {};
    if (draft.kind === 'days' && draft.days.length === 0) found.days = { key: 'settings.errors.noDays' };
    if (!draft.times.some(isPickerTime)) found.times = { key: 'settings.errors.noTimes' };
    else if (!draft.times.every((time) => time === '' || isPickerTime(time))) found.times = { key: 'settings.errors.badTime' };
    return found;
  };

  return (
    <form
      className="panel form schedule"
      aria-labelledby="schedule-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const found = check();
        setErrors(found);
        if (Object.keys(found).length > 0) return;
        void recordsActions.saveSchedule(expression).then((error) => {
          // Shown where staff are: the cron field in advanced mode, else under the times (e.g. too many times).
          if (error) setErrors(draft.advanced ? { cron: error } : { times: error });
        });
      }}
    >
      <h2 id="schedule-title">{t('settings.schedule')}</h2>
      <fieldset disabled={draft.advanced} aria-describedby={errors.days ? err('days') : undefined}>
        <legend>{t('settings.scheduleDays')}</legend>
        <div className="choices">
          {(['off', 'daily', 'weekdays', 'days'] as const).map((kind) => (
            <label key={kind} className="radio">
              <input type="radio" name="schedule-kind" checked={draft.kind === kind} onChange={() => update({ kind })} />
              {t(`settings.scheduleKind.${kind}`)}
            </label>
          ))}
        </div>
        {draft.kind === 'days' && (
          <div className="choices weekdays">
            {WEEK.map((day) => (
              <label key={day} className="check">
                <input
                  type="checkbox"
                  aria-invalid={errors.days ? true : undefined}
                  checked={draft.days.includes(day)}
                  onChange={(e) => update({ days: e.target.checked ? [...draft.days, day] : draft.days.filter((d) => d !== day) })}
                />
                {t(`settings.weekday.${day}`)}
              </label>
            ))}
          </div>
        )}
        <FieldError id={err('days')} message={errors.days} />
      </fieldset>
      {draft.kind !== 'off' && (
        <fieldset disabled={draft.advanced}>
          <legend>{t('settings.scheduleTimes')}</legend>
          <div className="choices">
            {draft.times.map((time, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: times are edited in place, by position
              <span key={index} className="time-input">
                <input
                  type="time"
                  value={time}
                  aria-label={t('settings.scheduleTimeN', { n: index + 1 })}
                  {...invalidProps(err('times'), errors.times)}
                  onChange={(e) => update({ times: draft.times.map((v, i) => (i === index ? e.target.value : v)) })}
                />
                {draft.times.length > 1 && (
                  <button
                    type="button"
                    className="link"
                    aria-label={t('settings.scheduleRemoveTime', { n: index + 1 })}
                    onClick={() => update({ times: draft.times.filter((_, i) => i !== index) })}
                  >
                    {t('settings.scheduleRemove')}
                  </button>
                )}
              </span>
            ))}
            <button type="button" onClick={() => update({ times: [...draft.times, '12:00'] })}>
              {t('settings.scheduleAddTime')}
            </button>
          </div>
          <FieldError id={err('times')} message={errors.times} />
        </fieldset>
      )}
      <details open={draft.advanced} onToggle={(e) => toggleAdvanced(e.currentTarget.open)}>
        <summary>{t('settings.scheduleAdvanced')}</summary>
        <div className="form-grid">
          <label htmlFor={ids.cron}>{t('settings.cron')}</label>
          <div className="field-cell">
            <input
              id={ids.cron}
              value={draft.cron}
              className="mono"
              onChange={(e) => update({ cron: e.target.value })}
              {...invalidProps(err('cron'), errors.cron, ids.cronHint)}
            />
            <FieldError id={err('cron')} message={errors.cron} />
          </div>
        </div>
        <p id={ids.cronHint} className="muted small">
          {t('settings.cronHint')}
        </p>
      </details>
      <div data-testid="schedule-next">
        <h3 id={ids.runs}>{t('settings.nextRuns')}</h3>
        {runs.length > 0 ? (
          <ol aria-labelledby={ids.runs} data-testid="schedule-next-runs">
            {runs.map((run) => (
              <li key={run.getTime()}>{formatRun(run, locale)}</li>
            ))}
          </ol>
        ) : (
          <p className="muted small">{t('settings.noSchedule')}</p>
        )}
        {settings.schedule.lastRun && (
          <p className="muted small">{t('settings.lastRun', { at: formatDateTime(settings.schedule.lastRun, locale) })}</p>
        )}
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}
