/**
 * The mixture scatter plot on a canvas: sampled rows coloured by their most probable
 * component, each component's mean (+) and its covariance ellipses at 1 (solid) and 2
 * (dashed) standard deviations, on axes with nice ticks. Sharp on high-DPI screens.
 */
import { linearScale, niceTicks, tickLabel } from '../model/chartScale';
import type { ScatterModel } from '../model/scatterModel';
import { themeColors, withAlpha } from './themeColors';

export class ScatterCanvas {
  readonly canvas: HTMLCanvasElement;
  private model: ScatterModel | undefined;
  private drawnWidth = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly container: HTMLElement, private readonly height = 420) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'scatter';
    this.canvas.setAttribute('role', 'img');
    container.appendChild(this.canvas);
    // redraw on the next frame and only when the width changed (the canvas's own size change must not loop)
    this.resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => {
      if (this.width() !== this.drawnWidth) this.redraw();
    }));
    this.resizeObserver.observe(container);
  }

  draw(model: ScatterModel): void {
    this.model = model;
    this.canvas.setAttribute('aria-label', `Scatter plot of ${model.yColumn} against ${model.xColumn}: ${model.shown} rows in ${model.components.length} components`);
    this.redraw();
  }

  redraw(): void {
    const m = this.model;
    if (!m) return;
    const t = themeColors();
    const dpr = window.devicePixelRatio || 1;
    const width = this.width();
    this.drawnWidth = width;
    const height = this.height;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const margin = { left: 64, right: 12, top: 12 + 18 * Math.ceil((m.components.length + 1) / 4), bottom: 40 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const xt = niceTicks(m.xExtent[0], m.xExtent[1], Math.max(2, Math.floor(plotW / 80)));
    const yt = niceTicks(m.yExtent[0], m.yExtent[1], Math.max(2, Math.floor(plotH / 50)));
    const x = linearScale(xt.min, xt.max, margin.left, margin.left + plotW);
    const y = linearScale(yt.min, yt.max, margin.top + plotH, margin.top);
    const font = `12px ${t.fontFamily}`;
    ctx.font = font;
    // grid and tick labels
    ctx.strokeStyle = withAlpha(t.grid, 0.6);
    ctx.lineWidth = 1;
    ctx.fillStyle = t.foreground;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of yt.values) {
      ctx.beginPath();
      ctx.moveTo(margin.left, Math.round(y(v)) + 0.5);
      ctx.lineTo(margin.left + plotW, Math.round(y(v)) + 0.5);
      ctx.stroke();
      ctx.fillText(tickLabel(v, yt.step), margin.left - 6, y(v));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of xt.values) {
      ctx.beginPath();
      ctx.moveTo(Math.round(x(v)) + 0.5, margin.top);
      ctx.lineTo(Math.round(x(v)) + 0.5, margin.top + plotH);
      ctx.stroke();
      ctx.fillText(tickLabel(v, xt.step), x(v), margin.top + plotH + 4);
    }
    ctx.strokeStyle = t.foreground;
    ctx.strokeRect(margin.left + 0.5, margin.top + 0.5, plotW, plotH);
    ctx.fillText(m.xColumn, margin.left + plotW / 2, height - 16);
    ctx.save();
    ctx.translate(14, margin.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(m.yColumn, 0, -6);
    ctx.restore();
    // points (smaller and fainter when there are many)
    ctx.save();
    ctx.beginPath();
    ctx.rect(margin.left, margin.top, plotW, plotH);
    ctx.clip();
    const r = m.shown > 5000 ? 1.2 : m.shown > 1000 ? 1.8 : 2.6;
    const alpha = m.shown > 5000 ? 0.35 : 0.6;
    const dot = (px: number, py: number): void => {
      ctx.moveTo(x(px) + r, y(py));
      ctx.arc(x(px), y(py), r, 0, 2 * Math.PI);
    };
    ctx.fillStyle = withAlpha(t.foreground, alpha);
    ctx.beginPath();
    for (const [px, py] of m.unlabelled) dot(px, py);
    ctx.fill();
    for (const c of m.components) {
      ctx.fillStyle = withAlpha(t.palette[c.index % t.palette.length], alpha);
      ctx.beginPath();
      for (const [px, py] of c.points) dot(px, py);
      ctx.fill();
    }
    // ellipses and means
    for (const c of m.components) {
      const color = t.palette[c.index % t.palette.length];
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      c.ellipses.forEach((e, i) => {
        ctx.setLineDash(i === 0 ? [] : [5, 4]);
        ctx.beginPath();
        e.forEach(([px, py], j) => (j === 0 ? ctx.moveTo(x(px), y(py)) : ctx.lineTo(x(px), y(py))));
        ctx.stroke();
      });
      ctx.setLineDash([]);
      const [mx, my] = [x(c.mean[0]), y(c.mean[1])];
      ctx.lineWidth = 4;
      ctx.strokeStyle = t.background;
      ctx.beginPath();
      ctx.moveTo(mx - 7, my); ctx.lineTo(mx + 7, my); ctx.moveTo(mx, my - 7); ctx.lineTo(mx, my + 7);
      ctx.stroke();
      ctx.lineWidth = 2;
      ctx.strokeStyle = t.foreground;
      ctx.stroke();
    }
    ctx.restore();
    // legend
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    m.components.forEach((c, i) => {
      const lx = margin.left + (i % 4) * 150;
      const ly = 12 + Math.floor(i / 4) * 18;
      ctx.fillStyle = t.palette[c.index % t.palette.length];
      ctx.fillRect(lx, ly - 5, 10, 10);
      ctx.fillStyle = t.foreground;
      ctx.fillText(`component ${c.index + 1} (${c.points.length})`, lx + 14, ly);
    });
  }

  private width(): number {
    return Math.max(280, Math.min(900, this.container.clientWidth || 600));
  }

  toPng(): string {
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const ctx = out.getContext('2d');
    if (!ctx) return this.canvas.toDataURL('image/png');
    ctx.fillStyle = themeColors().background;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(this.canvas, 0, 0);
    return out.toDataURL('image/png');
  }

  dispose(): void {
    this.resizeObserver.disconnect();
  }
}
