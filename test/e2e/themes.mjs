// The CSS variables and body class VS Code gives a webview for three built-in themes (values
// of Light+, Dark+ and Dark High Contrast), for rendering the inspector outside the workbench.
// The colours are a table in themeColors.json: each variable once, with its value in the light,
// dark and high-contrast theme, in that order (null where the theme does not set it).
import { readFileSync } from 'node:fs';

const common = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '14px',
};

/** The themes in the order of themeColors.json's columns; each one's body class and kind is `vscode-<name>`. */
const NAMES = ['light', 'dark', 'high-contrast'];

/** variable -> [light, dark, high contrast] (null: not set by that theme). */
const COLORS = JSON.parse(readFileSync(new URL('./themeColors.json', import.meta.url), 'utf8'));

export const THEMES = Object.fromEntries(
  NAMES.map((name, column) => [
    name,
    {
      bodyClass: `vscode-${name}`,
      kind: `vscode-${name}`,
      vars: { ...common, ...Object.fromEntries(Object.entries(COLORS).filter(([, values]) => values[column] !== null).map(([variable, values]) => [variable, values[column]])) },
    },
  ]),
);
