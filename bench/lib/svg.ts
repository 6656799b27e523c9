/** A small SVG chart drawer: no dependency, plain text the docs can commit. */
export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) =>
  v >= 1_000_000 ? `${v / 1_000_000}M` : v >= 1000 ? `${v / 1000}k` : v >= 1 ? `${+v.toPrecision(3)}` : `${+v.toPrecision(2)}`;

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) ticks.push(10 ** p);
  return ticks;
}

/** Log-log line chart in a box at (x0, y0) of size w × h. */
export function logLogPanel(o: {
  x0: number;
  y0: number;
  w: number;
  h: number;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}): string {
  const all = o.series.flatMap((s) => s.points);
  if (all.length === 0) return `<text x="${o.x0 + o.w / 2}" y="${o.y0 + o.h / 2}" text-anchor="middle">${esc(o.title)}: no data</text>`;
  const xs = logTicks(Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x)));
  const ys = logTicks(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y)));
  const [lx0, lx1, ly0, ly1] = [Math.log10(xs[0]!), Math.log10(xs[xs.length - 1]!), Math.log10(ys[0]!), Math.log10(ys[ys.length - 1]!)];
  const pl = { left: o.x0 + 60, right: o.x0 + o.w - 150, top: o.y0 + 30, bottom: o.y0 + o.h - 40 };
  const X = (v: number) => pl.left + ((Math.log10(v) - lx0) / (lx1 - lx0 || 1)) * (pl.right - pl.left);
  const Y = (v: number) => pl.bottom - ((Math.log10(v) - ly0) / (ly1 - ly0 || 1)) * (pl.bottom - pl.top);
  const out: string[] = [
    `<text x="${(pl.left + pl.right) / 2}" y="${o.y0 + 16}" text-anchor="middle" font-weight="bold">${esc(o.title)}</text>`,
  ];
  for (const t of xs)
    out.push(
      `<line x1="${X(t)}" y1="${pl.top}" x2="${X(t)}" y2="${pl.bottom}" stroke="#ddd"/><text x="${X(t)}" y="${pl.bottom + 16}" text-anchor="middle">${fmt(t)}</text>`,
    );
  for (const t of ys)
    out.push(
      `<line x1="${pl.left}" y1="${Y(t)}" x2="${pl.right}" y2="${Y(t)}" stroke="#ddd"/><text x="${pl.left - 6}" y="${Y(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
    );
  out.push(`<rect x="${pl.left}" y="${pl.top}" width="${pl.right - pl.left}" height="${pl.bottom - pl.top}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${(pl.left + pl.right) / 2}" y="${pl.bottom + 34}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(
    `<text transform="translate(${o.x0 + 16},${(pl.top + pl.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  o.series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of pts) out.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = pl.top + 10 + i * 18;
    out.push(
      `<line x1="${pl.right + 10}" y1="${ly}" x2="${pl.right + 30}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${pl.right + 34}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  return out.join('\n');
}

/** Horizontal bars (value and label each) in a box at (x0, y0). */
export function barPanel(o: {
  x0: number;
  y0: number;
  w: number;
  h: number;
  title: string;
  unit: string;
  bars: { label: string; value: number; color: string }[];
}): string {
  const max = Math.max(1, ...o.bars.map((b) => b.value));
  const left = o.x0 + 250;
  const width = o.w - 250 - 70;
  const rowH = Math.min(26, (o.h - 40) / Math.max(1, o.bars.length));
  const out = [`<text x="${o.x0 + o.w / 2}" y="${o.y0 + 16}" text-anchor="middle" font-weight="bold">${esc(o.title)}</text>`];
  o.bars.forEach((b, i) => {
    const y = o.y0 + 30 + i * rowH;
    const bw = (b.value / max) * width;
    out.push(`<text x="${left - 6}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(b.label)}</text>`);
    out.push(`<rect x="${left}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="${b.color}"/>`);
    out.push(`<text x="${left + bw + 4}" y="${y + rowH / 2 + 4}">${Math.round(b.value).toLocaleString('en-US')} ${esc(o.unit)}</text>`);
  });
  return out.join('\n');
}

export function svgDocument(width: number, height: number, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n</svg>\n`;
}
