import type { ReactNode } from 'react';
import { create } from 'zustand';

/** A question for staff before an action that cannot be taken back: the one dialog the window shows. */
export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** The safe choice, focused first (default: "やめる"). */
  cancelLabel?: string;
  /** A destructive action (delete, cancel): its button reads as a warning. */
  danger?: boolean;
  testId?: string;
}

interface Pending extends ConfirmRequest {
  /** Each question is a new dialog, even when it reads the same. */
  id: number;
  resolve: (confirmed: boolean) => void;
}

let asked = 0;
const useConfirmStore = create<{ pending: Pending | null }>()(() => ({ pending: null }));

export const usePendingConfirm = () => useConfirmStore((s) => s.pending);

/** Shows the dialog; resolves true when staff confirm, false when they go back (button, Esc). */
export function askConfirm(request: ConfirmRequest): Promise<boolean> {
  // A second question while one is open answers the first with "no": only one dialog at a time.
  useConfirmStore.getState().pending?.resolve(false);
  return new Promise((resolve) => {
    useConfirmStore.setState({
      pending: {
        ...request,
        id: ++asked,
        resolve: (confirmed) => {
          useConfirmStore.setState({ pending: null });
          resolve(confirmed);
        },
      },
    });
  });
}

/** Asks, then runs the action only when confirmed. */
export async function confirmThen(request: ConfirmRequest, action: () => Promise<unknown> | unknown): Promise<void> {
  if (await askConfirm(request)) await action();
}
