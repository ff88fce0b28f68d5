// A plain SVG chart (no libraries): items/s bars for items 1, 2 and 4, and the growth curve of item 5
// (µs per item and memory growth per item against the number of items, log x axis).
import fs from 'node:fs';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');

function bars(x, y, w, h, title, data) {
	// data: [{label, value, color}]
	const out = [];
	out.push(`<text x="${x}" y="${y - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`);
	const max = Math.max(...data.map((d) => d.value).filter(Number.isFinite), 1);
	const labelW = 230;
	const rowH = Math.min(26, h / Math.max(1, data.length));
	data.forEach((d, i) => {
		const yy = y + i * rowH;
		const bw = Number.isFinite(d.value) ? ((w - labelW - 70) * d.value) / max : 0;
		out.push(`<text x="${x + labelW - 6}" y="${yy + rowH * 0.65}" font-size="11" text-anchor="end">${esc(d.label)}</text>`);
		out.push(`<rect x="${x + labelW}" y="${yy + 3}" width="${bw.toFixed(1)}" height="${(rowH - 6).toFixed(1)}" fill="${d.color}"/>`);
		out.push(`<text x="${x + labelW + bw + 4}" y="${yy + rowH * 0.65}" font-size="11">${esc(num(d.value))}${esc(d.unit ?? '')}</text>`);
	});
	return out.join('\n');
}

function growth(x, y, w, h, points) {
	const out = [];
	out.push(
		`<text x="${x}" y="${y - 8}" font-size="13" font-weight="bold">5. Growth vs items (log): µs per item (blue, left); peak RSS MB (orange) and live heap after the run MB (grey), right</text>`,
	);
	if (points.length < 2) return out.join('\n');
	const pad = { l: 50, r: 50, t: 10, b: 30 };
	const X = (n) => {
		const a = Math.log10(points[0].n);
		const b = Math.log10(points.at(-1).n);
		return x + pad.l + ((Math.log10(n) - a) / (b - a || 1)) * (w - pad.l - pad.r);
	};
	const memMax = Math.max(...points.map((p) => Math.max(p.peakRssMb ?? 0, p.retainedHeapMb ?? 0)), 1e-9) * 1.15;
	const series = [
		{ key: 'usPerItem', color: '#1f77b4', unit: 'µs/item', axis: 0, dy: -8 },
		{ key: 'peakRssMb', color: '#ff7f0e', unit: 'MB', axis: 1, dy: 14, max: memMax },
		{ key: 'retainedHeapMb', color: '#7f7f7f', unit: 'MB', axis: 1, dy: -6, max: memMax, noAxis: true },
	].filter((s) => points.every((p) => Number.isFinite(p[s.key])));
	out.push(`<line x1="${x + pad.l}" y1="${y + h - pad.b}" x2="${x + w - pad.r}" y2="${y + h - pad.b}" stroke="#333"/>`);
	for (const p of points) {
		out.push(`<text x="${X(p.n)}" y="${y + h - pad.b + 16}" font-size="11" text-anchor="middle">${num(p.n)}</text>`);
	}
	series.forEach((s) => {
		const si = s.axis;
		const max = s.max ?? Math.max(...points.map((p) => p[s.key]), 1e-9) * 1.15;
		const Y = (v) => y + pad.t + (1 - v / max) * (h - pad.t - pad.b);
		const axisX = si === 0 ? x + pad.l : x + w - pad.r;
		if (!s.noAxis) out.push(`<line x1="${axisX}" y1="${y + pad.t}" x2="${axisX}" y2="${y + h - pad.b}" stroke="${s.color}"/>`);
		out.push(
			`<text x="${axisX + (si === 0 ? -4 : 4)}" y="${y + pad.t + 10}" font-size="10" fill="${s.color}" text-anchor="${si === 0 ? 'end' : 'start'}">${esc(s.unit)}</text>`,
		);
		out.push(
			`<text x="${axisX + (si === 0 ? -4 : 4)}" y="${y + pad.t + 22}" font-size="10" fill="${s.color}" text-anchor="${si === 0 ? 'end' : 'start'}">max ${max.toFixed(1)}</text>`,
		);
		const d = points.map((p, i) => `${i ? 'L' : 'M'}${X(p.n).toFixed(1)},${Y(p[s.key]).toFixed(1)}`).join(' ');
		out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
		for (const p of points) {
			out.push(`<circle cx="${X(p.n).toFixed(1)}" cy="${Y(p[s.key]).toFixed(1)}" r="3.5" fill="${s.color}"/>`);
			out.push(
				`<text x="${(X(p.n) + 6).toFixed(1)}" y="${(Y(p[s.key]) + s.dy).toFixed(1)}" font-size="10" fill="${s.color}">${p[s.key].toFixed(1)}</text>`,
			);
		}
	});
	return out.join('\n');
}

export function writeChart(r, file) {
	const W = 900;
	const parts = [];
	let y = 64;
	const p = r.item1?.plain;
	const t = r.item1?.tls;
	const colors = {
		'bare keep-alive': '#2ca02c',
		'bare new conn': '#98df8a',
		'bare fetch': '#c5b0d5',
		ours: '#1f77b4',
		'ours + reuse': '#aec7e8',
		'Reuse Connections': '#ff7f0e',
		'ours 20% 503': '#9467bd',
	};
	if (p) {
		const rows1 = Object.entries(p.itemsPerSec).map(([k, v]) => ({
			label: `plain: ${k}`,
			value: v.median,
			color: colors[k] ?? '#888',
			unit: '/s',
		}));
		if (t && !t.skipped)
			rows1.push(
				...Object.entries(t.itemsPerSec).map(([k, v]) => ({
					label: t.netDelayMs ? `TLS ±${t.netDelayMs}ms: ${k}` : `TLS+${t.latencyMs}ms: ${k}`,
					value: v.median,
					color: colors[k] ?? '#888',
					unit: '/s',
				})),
			);
		parts.push(
			bars(
				20,
				y,
				W - 40,
				rows1.length * 24,
				`1. Items per second, concurrency ${p.concurrency} (plain ${num(p.n)} items, TLS ${t && !t.skipped ? num(t.n) : '—'} items)`,
				rows1,
			),
		);
		y += rows1.length * 24 + 50;
	}
	const i2 = r.item2;
	if (i2 && !i2.skipped && i2.summary) {
		const rows2 = [
			{ label: 'HTTP Request node', value: (i2.summary.n / i2.summary.httpMs) * 1000, color: '#d62728', unit: '/s' },
			{ label: 'Braze-Style Webhook', value: (i2.summary.n / i2.summary.oursMs) * 1000, color: '#1f77b4', unit: '/s' },
		];
		if (i2.summary.reuseMs) {
			rows2.push({ label: 'Webhook + Reuse Connections', value: (i2.summary.n / i2.summary.reuseMs) * 1000, color: '#2ca02c', unit: '/s' });
		}
		parts.push(
			bars(
				20,
				y,
				W - 40,
				rows2.length * 24,
				`2. Real n8n 2.41.1, ${num(i2.summary.n)} items: items per second (ratio ${i2.summary.ratio.toFixed(2)}×${i2.summary.reuseRatio ? `, with reuse ${i2.summary.reuseRatio.toFixed(2)}×` : ''})`,
				rows2,
			),
		);
	} else {
		parts.push(`<text x="20" y="${y}" font-size="13" font-weight="bold">2. Real n8n: skipped (${esc(i2?.reason ?? 'not run')})</text>`);
	}
	y += (i2?.summary?.reuseMs ? 76 : 52) + 50;
	const b = r.item4;
	if (b) {
		const rows4 = [
			{ label: `B2B batched (${num(b.requests)} requests)`, value: b.batchedMs.median, color: '#2ca02c', unit: ' ms' },
			{ label: `webhook, 1 request per item`, value: b.perItemWebhookMs.median, color: '#ff7f0e', unit: ' ms' },
			{ label: `B2B batch size 1 (scaled)`, value: b.batch1ScaledMs.median, color: '#d62728', unit: ' ms' },
		];
		parts.push(
			bars(20, y, W - 40, 78, `4. Braze to Braze, ${num(b.n)} items, ${b.latencyMs} ms latency: time (ms, shorter is better)`, rows4),
		);
		y += 78 + 50;
	}
	if (r.item5) {
		parts.push(growth(20, y, W - 40, 240, r.item5.points));
		y += 260;
	}
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="20" y="20" font-size="11" fill="#555">${esc(`n8n-nodes-braze-webhooks benchmark, ${r.startedAt}, ${r.runtime.label}, ${r.machine.cpus} CPUs, medians of ${r.config.reps} repetitions`)}</text>
${parts.join('\n')}
</svg>
`;
	fs.writeFileSync(file, svg);
}
