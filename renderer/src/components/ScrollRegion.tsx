import type { ReactNode } from 'react';

/** A scrollable box keyboard users can reach (Tab, then arrow keys), named for screen readers. */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled with the keyboard
    <section className={`table-wrap ${className ?? ''}`} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
