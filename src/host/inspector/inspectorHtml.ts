/**
 * The inspector webview's HTML: a strict Content-Security-Policy (nothing by default; the one
 * script only by its nonce; styles, fonts and images only from the extension's own
 * resources) and no inline script or style. Pure string building, no vscode import, so the
 * unit tests and the dev page render exactly what the panel serves.
 */
import { randomBytes } from 'node:crypto';

export interface InspectorHtmlOptions {
  /** webview.cspSource: the origin the extension's resources are served from. */
  readonly cspSource: string;
  /** A fresh nonce per page load, for the one script. */
  readonly nonce: string;
  /**
   * A second fresh nonce for <style> elements. The toolkit (FAST) feature-tests
   * :focus-visible by inserting a <style> element and takes its nonce from
   * <meta property="csp-nonce">; without one the test is blocked (and logged) and the
   * toolkit falls back to :focus. Separate from the script nonce, so the page never exposes
   * the script nonce in an attribute a script could read.
   */
  readonly styleNonce: string;
  /** webview URI of dist/webview/main.js. */
  readonly scriptUri: string;
  /** webview URIs of the stylesheets (uPlot's, then media/inspector.css). */
  readonly styleUris: readonly string[];
  readonly title: string;
}

/** 128 random bits, base64: unguessable by anything the page loads. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/** For text and double-quoted attribute values (a single quote needs no escape there, so the CSP reads as written). */
function escapeAttribute(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

export function contentSecurityPolicy(cspSource: string, nonce: string, styleNonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${styleNonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function inspectorHtml(o: InspectorHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(o.nonce) || !/^[A-Za-z0-9+/=]{16,}$/.test(o.styleNonce)) throw new Error('a nonce must be base64, 16 characters or more');
  if (o.nonce === o.styleNonce) throw new Error('the script and style nonces must differ');
  const styles = o.styleUris.map((u) => `  <link rel="stylesheet" href="${escapeAttribute(u)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(o.cspSource, o.nonce, o.styleNonce))}">
  <meta property="csp-nonce" content="${o.styleNonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
  <title>${escapeAttribute(o.title)}</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${o.nonce}" src="${escapeAttribute(o.scriptUri)}"></script>
</body>
</html>
`;
}
