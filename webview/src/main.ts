/**
 * Entry point of the inspector webview: connect to the host, say `ready`, and let the app
 * draw whatever the host answers. Errors go to the host's output channel.
 */
import { InspectorApp } from './app';
import { HostBridge } from './hostBridge';
import { registerToolkit } from './ui/toolkit';
import { ViewStateStore } from './viewState';

const api = acquireVsCodeApi();
registerToolkit();
const root = document.getElementById('app') ?? document.body;
const state = new ViewStateStore(api);
const app = new InspectorApp(root, state);
const bridge = new HostBridge(api, (m) => app.handle(m));
app.connect(bridge);
window.addEventListener('message', (event: MessageEvent) => bridge.receive(event.data));
window.addEventListener('error', (event) => bridge.log('error', `inspector webview: ${event.message} (${event.filename}:${event.lineno})`));
window.addEventListener('unhandledrejection', (event) => bridge.log('error', `inspector webview: ${String(event.reason)}`));
bridge.post({ type: 'ready' });
