import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

export interface MenuItem {
  key: string;
  label: string;
  onSelect: () => void;
}

/**
 * A button that opens a menu (the WAI-ARIA menu button pattern): Enter, Space or ArrowDown open it on the
 * first item, ArrowUp on the last; ArrowUp/ArrowDown/Home/End move within it, Enter chooses, Escape closes it
 * and gives the focus back to the button, Tab or a click elsewhere closes it. The menu is placed fixed under the
 * button, so a scrolling table around the button neither clips it nor grows a scrollbar for it.
 */
export function MenuButton({
  label,
  ariaLabel,
  items,
  disabled,
}: {
  label: string;
  /** A fuller name for screen readers ("発注一覧.xlsxの書き出し"), when the visible label is short. */
  ariaLabel?: string;
  items: readonly MenuItem[];
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [focus, setFocus] = useState(0);
  const [place, setPlace] = useState<{ top: number; right: number }>({ top: 0, right: 0 });
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const show = (at: number) => {
    const box = button.current?.getBoundingClientRect();
    if (box) setPlace({ top: box.bottom + 4, right: Math.max(8, window.innerWidth - box.right) });
    setFocus((at + items.length) % items.length);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (open) menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[focus]?.focus();
  }, [open, focus]);
  useEffect(() => {
    if (!open) return;
    // A click outside, or the page scrolling under the fixed menu, closes it.
    const outside = (event: Event) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('scroll', outside, true);
    window.addEventListener('resize', outside);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('scroll', outside, true);
      window.removeEventListener('resize', outside);
    };
  }, [open]);

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 0 : -1);
    }
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: focus + 1, ArrowUp: focus - 1, Home: 0, End: items.length - 1 };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      setFocus((next + items.length) % items.length);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <span className="menu-button">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => (open ? close(false) : show(0))}
        onKeyDown={onButtonKey}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={ariaLabel ?? label}
          className="menu"
          style={{ top: place.top, right: place.right }}
          onKeyDown={onMenuKey}
        >
          {items.map((item, i) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={i === focus ? 0 : -1}
              onClick={() => {
                close(true);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
