/**
 * The only module that knows about @vscode/webview-ui-toolkit (no longer maintained
 * upstream): every other module asks this one for a button, a dropdown, tabs, a checkbox or a
 * progress ring, so replacing the toolkit means rewriting this file alone.
 *
 * The toolkit's FAST elements style themselves with constructable stylesheets, which a strict
 * CSP (`style-src` from the extension only, no 'unsafe-inline') allows, and need no eval. The
 * toolkit has no slider, so the iteration slider is a plain <input type="range"> styled with
 * the theme's variables (media/inspector.css).
 */
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Define the custom elements once. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeBadge(), vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(),
    vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeProgressRing(),
  );
}

export interface ButtonOptions {
  readonly appearance?: 'primary' | 'secondary';
  /** Tooltip and accessible name when the label is terse. */
  readonly title?: string;
  /** A hook for tests (`data-action`). */
  readonly action?: string;
}

export interface ButtonHandle {
  readonly element: HTMLElement;
  setDisabled(disabled: boolean): void;
  setLabel(label: string): void;
  setAppearance(appearance: 'primary' | 'secondary'): void;
}

export function button(label: string, onClick: () => void, options: ButtonOptions = {}): ButtonHandle {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  el.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.title) {
    el.setAttribute('title', options.title);
    el.setAttribute('aria-label', options.title);
  }
  if (options.action) el.dataset.action = options.action;
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return {
    element: el,
    setDisabled: (disabled) => el.toggleAttribute('disabled', disabled),
    setLabel: (l) => {
      el.textContent = l;
    },
    setAppearance: (a) => el.setAttribute('appearance', a),
  };
}

/** A labelled single choice. */
export function dropdown(label: string, options: readonly { value: string; label: string }[], selected: string, onChange: (value: string) => void): HTMLElement {
  const wrap = document.createElement('label');
  wrap.className = 'field';
  const text = document.createElement('span');
  text.textContent = label;
  const el = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  el.setAttribute('aria-label', label);
  for (const o of options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === selected) opt.setAttribute('selected', '');
    el.appendChild(opt);
  }
  el.addEventListener('change', () => onChange(el.value));
  wrap.append(text, el);
  return wrap;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const el = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  el.textContent = label;
  if (checked) el.setAttribute('checked', '');
  el.addEventListener('change', () => onChange(el.checked));
  return el;
}

export function progressRing(label: string): HTMLElement {
  const el = document.createElement('vscode-progress-ring');
  el.setAttribute('aria-label', label);
  return el;
}

export function badge(text: string): HTMLElement {
  const el = document.createElement('vscode-badge');
  el.textContent = text;
  return el;
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}

export interface TabSpec {
  readonly id: string;
  readonly label: string;
}

export interface TabsHandle {
  readonly element: HTMLElement;
  /** The panel element of tab `id`, to fill with content. */
  panel(id: string): HTMLElement;
  select(id: string): void;
}

/**
 * Tabs with keyboard navigation (arrow keys move between tabs, as the toolkit's panels do).
 * `onSelect` fires when the user switches tabs (and once for the initial tab).
 */
export function tabs(specs: readonly TabSpec[], selected: string, onSelect: (id: string) => void): TabsHandle {
  const el = document.createElement('vscode-panels') as HTMLElement & { activeid: string };
  const panels = new Map<string, HTMLElement>();
  for (const spec of specs) {
    const tab = document.createElement('vscode-panel-tab');
    tab.id = `tab-${spec.id}`;
    tab.textContent = spec.label;
    tab.dataset.tab = spec.id;
    el.appendChild(tab);
  }
  for (const spec of specs) {
    const view = document.createElement('vscode-panel-view');
    view.id = `view-${spec.id}`;
    const content = document.createElement('div');
    content.className = 'panel-content';
    view.appendChild(content);
    el.appendChild(view);
    panels.set(spec.id, content);
  }
  const initial = specs.some((s) => s.id === selected) ? selected : specs[0]?.id;
  if (initial !== undefined) el.setAttribute('activeid', `tab-${initial}`);
  let current = '';
  el.addEventListener('change', (event) => {
    if (event.target !== el) return; // a dropdown inside a panel also fires change
    const id = (el.activeid ?? '').replace(/^tab-/, '');
    if (id && id !== current) {
      current = id;
      onSelect(id);
    }
  });
  return {
    element: el,
    panel: (id) => {
      const p = panels.get(id);
      if (!p) throw new Error(`no tab ${id}`);
      return p;
    },
    select: (id) => {
      if (panels.has(id)) el.activeid = `tab-${id}`;
    },
  };
}

/** The iteration slider: the toolkit has none, so a native range input (arrow keys, Home/End, PageUp/PageDown work). */
export function slider(label: string, min: number, max: number, value: number, onInput: (value: number) => void): HTMLInputElement {
  const el = document.createElement('input');
  el.type = 'range';
  el.className = 'slider';
  el.min = String(min);
  el.max = String(max);
  el.step = '1';
  el.value = String(value);
  el.setAttribute('aria-label', label);
  el.addEventListener('input', () => onInput(Number(el.value)));
  return el;
}
