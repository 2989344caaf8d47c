import type { SettingsView, SyncLimits } from '@shared/contract';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recordsActions } from '../../state/records';
import { FieldError, type FieldMessage, invalidProps } from './FieldError';

const SERVICES = ['orders', 'payments', 'notifications'] as const;
type Service = (typeof SERVICES)[number];
type Key = keyof SyncLimits['orders'];

/**
 * Each service's limit inputs, as staff read them: the rate per second (blank = none), connections, and the
 * timeout in seconds (stored in milliseconds). Bounds match the contract, which checks them again.
 */
const INPUTS = [
  { key: 'ratePerSecond', label: 'settings.rate', min: 0.1, max: 1000, step: 'any', scale: 1, optional: true },
  { key: 'concurrency', label: 'settings.concurrency', min: 1, max: 64, step: '1', scale: 1, optional: false },
  { key: 'timeoutMs', label: 'settings.timeoutSeconds', min: 1, max: 120, step: '0.5', scale: 1000, optional: false },
] as const;

type Drafts = Record<Service, Record<Key, string>>;

function drafts(limits: SyncLimits): Drafts {
  const one = (service: Service) =>
    Object.fromEntries(
      INPUTS.map(({ key, scale }) => [key, limits[service][key] === null ? '' : String((limits[service][key] ?? 0) / scale)]),
    ) as Record<Key, string>;
  return { orders: one('orders'), payments: one('payments'), notifications: one('notifications') };
}

export function LimitsForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Drafts>(() => drafts(settings.limits));
  const [errors, setErrors] = useState<Record<string, FieldMessage>>({});
  const [formError, setFormError] = useState<FieldMessage | null>(null);
  const errorBase = useId();
  const errorId = (service: Service, key: Key) => `${errorBase}-${service}-${key}`;

  const submit = () => {
    const found: Record<string, FieldMessage> = {};
    const limits = {} as SyncLimits;
    for (const service of SERVICES) {
      const own = { ...settings.limits[service] };
      for (const { key, min, max, scale, optional } of INPUTS) {
        const text = values[service][key].trim();
        const number = Number(text);
        if (text === '' && optional) {
          own.ratePerSecond = null;
        } else if (text === '' || !Number.isFinite(number) || number < min || number > max) {
          found[`${service}.${key}`] = { key: optional ? 'settings.errors.rangeOrBlank' : 'settings.errors.range', params: { min, max } };
        } else {
          own[key] = key === 'concurrency' ? Math.round(number) : Math.round(number * scale * 1000) / 1000;
        }
      }
      limits[service] = own;
    }
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    void recordsActions.saveLimits(limits).then(setFormError);
  };

  return (
    <form
      className="panel form"
      aria-labelledby="limits-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2 id="limits-title">{t('settings.limits')}</h2>
      <table className="table compact limits">
        <caption className="visually-hidden">{t('settings.limits')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settings.service')}</th>
            {INPUTS.map(({ key, label }) => (
              <th scope="col" key={key}>
                {t(label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SERVICES.map((service) => (
            <tr key={service}>
              <th scope="row">{t(`sync.step.${service}`)}</th>
              {INPUTS.map(({ key, label, min, max, step }) => {
                const error = errors[`${service}.${key}`];
                return (
                  <td key={key}>
                    <input
                      type="number"
                      min={min}
                      max={max}
                      step={step}
                      aria-label={`${t(`sync.step.${service}`)} ${t(label)}`}
                      value={values[service][key]}
                      onChange={(e) => setValues((v) => ({ ...v, [service]: { ...v[service], [key]: e.target.value } }))}
                      {...invalidProps(errorId(service, key), error)}
                    />
                    <FieldError id={errorId(service, key)} message={error} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError id={`${errorBase}-form`} message={formError} />
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}
