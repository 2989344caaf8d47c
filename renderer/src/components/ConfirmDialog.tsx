import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { usePendingConfirm } from '../state/confirm';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
  testId?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal confirmation on the native <dialog> (showModal: the rest of the window is inert). The safe
 * button has the first focus, Tab and Shift+Tab stay inside, Esc goes back, and focus returns to what
 * had it before. Labelled by its title and described by its body.
 */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel, danger, testId, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  // Kept in a ref so the open effect runs once per dialog, not on every parent render.
  const cancel = useRef(onCancel);
  cancel.current = onCancel;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    safe.current?.focus();
    // Esc: the browser fires `cancel`; the dialog closes through our state, not by itself.
    const onEsc = (event: Event) => {
      event.preventDefault();
      cancel.current();
    };
    dialog.addEventListener('cancel', onEsc);
    return () => {
      dialog.removeEventListener('cancel', onEsc);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // Keeps Tab inside the dialog (Chromium's modal dialog would let it reach the browser's own UI).
  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={testId}
      onKeyDown={trapTab}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="confirm-body">
        {children}
      </div>
      <div className="confirm-actions">
        <button ref={safe} type="button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className={danger ? 'danger-button' : 'primary'} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** The window's one confirmation dialog, shown while askConfirm() waits for an answer. */
export function ConfirmHost() {
  const { t } = useTranslation();
  const pending = usePendingConfirm();
  if (!pending) return null;
  return (
    <ConfirmDialog
      // A new question is a new dialog (focus and opener are taken again).
      key={pending.id}
      title={pending.title}
      confirmLabel={pending.confirmLabel}
      cancelLabel={pending.cancelLabel ?? t('confirm.back')}
      danger={pending.danger}
      testId={pending.testId}
      onConfirm={() => pending.resolve(true)}
      onCancel={() => pending.resolve(false)}
    >
      {pending.body}
    </ConfirmDialog>
  );
}
