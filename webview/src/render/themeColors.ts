/**
 * Colours for canvas drawing, read from VS Code's theme variables at draw time (a canvas
 * cannot use CSS variables), and a hook that fires when the theme changes so charts redraw.
 */

export interface ThemeColors {
  readonly foreground: string;
  readonly background: string;
  readonly grid: string;
  readonly accent: string;
  readonly muted: string;
  readonly error: string;
  readonly fontFamily: string;
  /** One colour per component / restart / series. */
  readonly palette: readonly string[];
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeColors(): ThemeColors {
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  const foreground = cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', dark ? '#cccccc' : '#333333'));
  return {
    foreground,
    background: cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', dark ? '#454545' : '#c8c8c8')),
    accent: withAlpha(cssVar('--vscode-charts-blue', cssVar('--vscode-focusBorder', '#3794ff')), 1),
    muted: cssVar('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    error: withAlpha(cssVar('--vscode-charts-red', cssVar('--vscode-errorForeground', '#f14c4c')), 1),
    fontFamily: cssVar('--vscode-font-family', 'sans-serif'),
    // opaque: some themes give chart colours with transparency (Light Modern: orange at 0.33),
    // which would leave an ellipse or a line barely visible
    palette: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-yellow', '#cca700'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-terminal-ansiCyan', '#11a8cd'),
      cssVar('--vscode-terminal-ansiMagenta', '#bc3fbc'),
    ].map((c) => withAlpha(c, 1)),
  };
}

/** Call `onChange` whenever VS Code switches the theme (body class or the variables on <html>). */
export function onThemeChange(onChange: () => void): () => void {
  let scheduled = false;
  const fire = (): void => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      onChange();
    });
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}

/** A colour with transparency, for dense scatter points (works for #rgb, #rrggbb and rgb()). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (hex) {
    let h = hex[1];
    if (h.length === 3) h = h.split('').map((c) => c + c).join('');
    const n = parseInt(h, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(color.trim());
  if (rgb) {
    const [r, g, b] = rgb[1].split(',').map((s) => s.trim());
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
