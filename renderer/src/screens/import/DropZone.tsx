import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importActions } from '../../state/import';

/** Drop a file on it, or choose one (the OS dialog runs in main). */
export function DropZone() {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void importActions.drop(file);
  };
  return (
    <section
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      aria-label={t('import.drop')}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="dropzone-title">{t('import.drop')}</p>
      <p className="muted small">{t('import.dropHint')}</p>
      <button type="button" className="primary" onClick={() => void importActions.pick()}>
        {t('import.pick')}
      </button>
    </section>
  );
}
