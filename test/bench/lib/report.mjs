// The printed table (Markdown), built from the results object run.mjs writes to latest.json.

const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const rr = (r) => (r?.range ? ` (${f2(r.range[0])}–${f2(r.range[1])})` : '');
const met = (ok) => (ok === undefined ? 'n/a' : ok ? '**met**' : '**not met**');

function throughputRows(s, label) {
	const rows = [];
	const names = Object.keys(s.itemsPerSec);
	for (const name of names) {
		rows.push(
			`| ${label} | ${name} | ${f0(s.ms[name].median)} | ${f0(s.itemsPerSec[name].median)} | ${f0(s.connections[name])} | ${f0(s.maxOpen[name])} |`,
		);
	}
	return rows;
}

export function renderTable(r) {
	const L = [];
	const p = r.item1?.plain;
	const t = r.item1?.tls;
	L.push(
		`# Braze nodes benchmark — ${r.startedAt} — ${r.runtime.label}, ${r.machine.cpus} CPUs, ${r.config.reps} repetitions (medians; ratios taken inside each repetition)`,
	);
	L.push('');

	// Item 1
	if (p) {
		L.push(`## 1. Braze-Style Webhook vs bare Node client, concurrency ${p.concurrency}`);
		L.push('');
		L.push('| network | sender | ms | items/s | TCP conns at server | max open |');
		L.push('|---|---|---:|---:|---:|---:|');
		L.push(...throughputRows(p, `plain HTTP, ${f0(p.n)} items`));
		if (t && !t.skipped) L.push(...throughputRows(t, `TLS, ${t.netDelayMs ?? 0} ms each way${t.latencyMs ? ` + ${t.latencyMs} ms server delay` : ''}, ${f0(t.n)} items`));
		L.push('');
		L.push(
			'"ours" = the node in n8n-core\'s WorkflowExecute with n8n\'s request helpers (new connection per request); "ours + reuse" = the same run with n8n\'s agent factory swapped for one shared keep-alive agent (bench-only what-if); "Reuse Connections" = the shipped option (fetch with keep-alive); "bare new conn" = a new agent per request, as n8n does; "bare fetch" = the global fetch alone, the ceiling of any fetch-based sender.',
		);
		L.push('');
		L.push('| ratio (median of repetitions, range) | plain HTTP | TLS + latency |');
		L.push('|---|---:|---:|');
		const both = (k, fmt = f2, suffix = '×') =>
			`| ${k[0]} | ${fmt(p[k[1]].median)}${suffix}${rr(p[k[1]])} | ${t && !t.skipped ? `${fmt(t[k[1]].median)}${suffix}${rr(t[k[1]])}` : 'skipped'} |`;
		L.push(both(['bare keep-alive client is faster than ours by', 'oursVsKeepAlive']));
		L.push(both(['bare new-connection client is faster than ours by', 'oursVsNewConn']));
		L.push(both(['new connection per request costs the bare client (throughput lost)', 'bareNewConnCostPct'], f1, ' %'));
		L.push(both(['new connection per request costs ours (throughput lost vs reuse)', 'oursNewConnCostPct'], f1, ' %'));
		L.push(both(['connection reuse would speed ours up by', 'reuseSpeedup']));
		L.push(both(['ours with reuse vs bare keep-alive (time ratio)', 'oursReuseVsKeepAlive']));
		L.push(both(['Reuse Connections option: speed-up over the default (n8n helper)', 'optionSpeedup']));
		L.push(both(['Reuse Connections option: share of a bare keep-alive client\'s speed', 'optionShareOfKeepAlive']));
		L.push(both(['Reuse Connections option: TCP connections opened', 'optionConnections'], f0, ''));
		if (p.bareFetchShareOfKeepAlive) {
			L.push(both(['bare fetch client: share of a bare keep-alive client\'s speed (the ceiling of any fetch sender)', 'bareFetchShareOfKeepAlive']));
			L.push(both(['Reuse Connections option: share of a bare fetch client\'s speed', 'optionShareOfBareFetch']));
		}
		L.push('');
		L.push(
			`Same bytes from every sender: ${p.sameBodies ? 'yes' : 'NO'} (${f0(p.bodyBytes)} body bytes at ${f0(p.n)} items). All items delivered: ${p.outcomesOk ? 'yes' : 'NO'}${t && !t.skipped ? `; TLS: ${t.outcomesOk ? 'yes' : 'NO'}, TLS sessions resumed by "bare new conn": ${f0(t.tlsResumed['bare new conn'])}, by "ours": ${f0(t.tlsResumed.ours)}` : ''}.`,
		);
		L.push('');
	}

	// Item 2
	L.push("## 2. Real n8n 2.41.1: our node vs n8n's HTTP Request node (same items, same body)");
	L.push('');
	const i2 = r.item2;
	if (!i2 || i2.skipped) {
		L.push(`skipped: ${i2?.reason ?? 'not run'}`);
	} else {
		const s = i2.summary;
		const c = s.connections ?? {};
		L.push('| node | executionTime ms | items/s | connections opened |');
		L.push('|---|---:|---:|---:|');
		L.push(`| HTTP Request 4.5 (JSON.stringify($json)) | ${f0(s.httpMs)} | ${f0((s.n / s.httpMs) * 1000)} | ${f0(c.http)} |`);
		L.push(
			`| Braze-Style Webhook (Liquid body, retries on, concurrency ${r.config.concurrency}) | ${f0(s.oursMs)} | ${f0((s.n / s.oursMs) * 1000)} | ${f0(c.ours)} |`,
		);
		if (s.reuseMs) {
			L.push(
				`| Braze-Style Webhook + Reuse Connections (transport: ${s.reuseTransports?.join(', ')}) | ${f0(s.reuseMs)} | ${f0((s.n / s.reuseMs) * 1000)} | ${f0(c.reuse)} |`,
			);
		}
		L.push('');
		L.push(
			`Ratio HTTP Request time / ours: **${f2(s.ratio)}×**${s.ratioRange ? ` (${f2(s.ratioRange[0])}–${f2(s.ratioRange[1])})` : ''} with the default transport; **${f2(s.reuseRatio)}×**${s.reuseRatioRange ? ` (${f2(s.reuseRatioRange[0])}–${f2(s.reuseRatioRange[1])})` : ''} with Reuse Connections, over ${i2.runs.length} executions, target ≥ 3× with reuse: ${met(s.reuseRatio >= 3)}. Same bodies: ${s.sameBodies ? 'yes' : 'NO'}; all delivered: ${s.outcomesOk ? 'yes' : 'NO'}.`,
		);
	}
	L.push('');

	// Item 3
	if (r.item3) {
		L.push('## 3. Liquid: per-item render vs plain liquidjs (templates parsed once per execution)');
		L.push('');
		L.push('| runtime | template | ours ns/item | liquidjs ns/item | ratio | target ≤ 1.2 |');
		L.push('|---|---|---:|---:|---:|---|');
		for (const rt of r.item3 ?? []) {
			for (const x of rt.results) {
				L.push(`| ${rt.meta.node} | ${x.name} | ${f0(x.oursNs)} | ${f0(x.plainNs)} | ${f2(x.ratio)}× | ${met(x.ratio <= 1.2)} |`);
			}
		}
		L.push('');
	}

	// Item 4
	const b = r.item4;
	if (b) {
		L.push(`## 4. Braze to Braze: ${f0(b.n)} items, /users/track with ${b.latencyMs} ms latency`);
		L.push('');
		L.push('| sender | requests | ms | ratio to batched |');
		L.push('|---|---:|---:|---:|');
		L.push(
			`| Braze to Braze, batches of 75 | ${f0(b.requests)} (target ${b.targetRequests}: ${met(b.requests === b.targetRequests)}) | ${f0(b.batchedMs.median)} | 1 |`,
		);
		L.push(
			`| Braze-Style Webhook, one /users/track per item, concurrency ${r.config.concurrency} | ${f0(b.perItemWebhookRequests)} | ${f0(b.perItemWebhookMs.median)} | ${f2(b.ratioWebhookPerItem.median)}×${rr(b.ratioWebhookPerItem)} |`,
		);
		L.push(
			`| Braze to Braze, batch size 1 (sequential), measured on ${f0(b.batch1N)} items, scaled to ${f0(b.n)} | ${f0(b.n)} | ${f0(b.batch1ScaledMs.median)} | ${f2(b.ratioBatch1Scaled.median)}×${rr(b.ratioBatch1Scaled)} |`,
		);
		L.push('');
		L.push(`Objects received: ${f0(b.objects)}; all items sent: ${b.outcomesOk ? 'yes' : 'NO'}.`);
		L.push('');
	}

	// Item 9
	const k = r.item9;
	if (k && !k.skipped) {
		L.push(`## 9. Braze to Braze: concurrent batches, ${f0(k.n)} /users/track items, ${k.latencyMs} ms latency`);
		L.push('');
		L.push(`The stand-in advertises and enforces ${f0(k.advertisedRps)} requests/s (X-RateLimit-*, 429 past it).`);
		L.push('');
		if (k.reps) L.push(`Concurrent runs: median of ${k.reps}, around one sequential run.`, '');
		L.push('| batches | requests | execution ms | requests/s (execution) | requests/s (sending phase) |');
		L.push('|---|---:|---:|---:|---:|');
		L.push(
			`| sequential (Concurrent Requests 1, the former behaviour) | ${f0(k.requests)} | ${f0(k.sequentialMs)} | ${f1(k.sequentialRps)} | ${f1(k.sequentialWireRps)} |`,
		);
		L.push(
			`| concurrent (Concurrent Requests ${k.concurrentRequests}, one user's batches in order) | ${f0(k.requests)} | ${f0(k.concurrentMs)} | ${f1(k.concurrentRps)} | ${f1(k.concurrentWireRps)} |`,
		);
		L.push(`| ratio (goal 8×) | | | ${f2(k.speedup)}×${k.speedupRange ? ` (${f2(k.speedupRange[0])}–${f2(k.speedupRange[1])})` : ''} | ${f2(k.wireSpeedup)}× |`);
		if (k.reuse) {
			L.push(
				`| concurrent + Reuse Connections (${f0(k.reuse.connections)} connections) | ${f0(k.requests)} | ${f0(k.reuse.ms)} | ${f1(k.reuse.rps)} | ${f1(k.reuse.wireRps)} |`,
			);
			L.push(`| ratio to sequential | | | ${f2(k.reuse.speedup)}× | ${f2(k.reuse.wireSpeedup)}× |`);
		}
		L.push('');
		L.push(
			`Bound: ${f0(k.boundRps)} requests/s (${k.concurrentRequests} in flight per ${k.latencyMs} ms, under the advertised rate). Answers: concurrent ${JSON.stringify(k.status.concurrent)}, sequential ${JSON.stringify(k.status.sequential)}; all items sent: ${k.outcomesOk ? 'yes' : 'NO'}.`,
		);
		L.push('');
	}

	// Item 5
	if (r.item5) {
		L.push('## 5. Growth: Braze-Style Webhook, plain HTTP, concurrency ' + r.config.concurrency);
		L.push('');
		L.push(
			'| items | runs | ms | µs/item | peak RSS MB | RSS after load MB | growth MB | KB/item | input items heap MB | live heap after run MB (inputs + outputs) |',
		);
		L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
		for (const g of r.item5.points) {
			L.push(
				`| ${f0(g.n)} | ${g.reps} | ${f0(g.ms)} | ${f1(g.usPerItem)} | ${f0(g.peakRssMb)} | ${f0(g.rssAfterLoadMb)} | ${f0(g.growthMb)} | ${f2(g.kbPerItem)} | ${f1(g.itemsHeapMb)} | ${f1(g.retainedHeapMb)} |`,
			);
		}
		const pts = r.item5.points;
		if (pts.length >= 2) {
			const a = pts.at(-2);
			const z = pts.at(-1);
			const timeRatio = z.usPerItem / a.usPerItem;
			const memRatio = z.growthMb / a.growthMb;
			const itemRatio = z.n / a.n;
			L.push('');
			L.push(
				`${f0(a.n)} → ${f0(z.n)} items: time per item ×${f2(timeRatio)} (flat = 1; target flat: ${met(timeRatio <= 1.25)}), memory growth ×${f1(memRatio)} for ×${f0(itemRatio)} items (target ≤ items: ${met(memRatio <= itemRatio * 1.1)}).`,
			);
		}
		const reuse = r.item5.reuse;
		const same = r.item5.points.find((g) => g.n === reuse?.n);
		if (reuse && same) {
			L.push('');
			L.push(
				`${f0(reuse.n)} items with Reuse Connections: ${f0(reuse.ms)} ms, peak RSS ${f0(reuse.peakRssMb)} MB against ${f0(same.peakRssMb)} MB with n8n's helper in this run (issue 18's goal, no more than the 871 MB measured before it: ${met(reuse.peakRssMb <= 871)}); live heap after the run ${f1(reuse.retainedHeapMb)} MB; all sent: ${reuse.allSent ? 'yes' : 'NO'}.`,
			);
		}
		L.push('');
	}

	// Item 6
	const y = r.item6;
	if (y) {
		L.push(
			`## 6. Retry cost: ${f0(r.config.n)} items, every ${y.failEvery}th attempt answered 503 (20%), Initial Retry Delay ${y.initialRetryDelayMs} ms, Max Retries ${y.maxRetries}`,
		);
		L.push('');
		const c = r.config.concurrency;
		const beyondExtra = y.addedMs - y.extraAttemptsMs;
		// Projection with the default Initial Retry Delay (2 s, doubling, capped at 60 s), from the retry
		// counts measured here: the summed full-jitter waits, and what they cost if every wait idles one slot.
		const projectedMs = (y.rows?.[0]?.retriesByIndex ?? []).reduce(
			(sum, count, k) => sum + ((count ?? 0) * Math.min(60_000, 2000 * 2 ** k)) / 2,
			0,
		);
		L.push('| measure | value |');
		L.push('|---|---:|');
		L.push(`| time without failures (same repetition) | ${f0(y.t0)} ms |`);
		L.push(`| time with 20% 503 | ${f0(y.ms)} ms (×${f2(y.ratio)}) |`);
		L.push(
			`| attempts / retries | ${f0(y.attempts)} / ${f0(y.retries)} (deepest: retry #${y.maxRetryIndex}); all items delivered: ${y.allDelivered ? 'yes' : 'NO'} |`,
		);
		L.push(`| **added time** | **${f0(y.addedMs)} ms (+${f1((y.addedMs / y.t0) * 100)} %)** |`);
		L.push(`| … of which the ${f0(y.retries)} extra requests at the no-failure rate | ${f0(y.extraAttemptsMs)} ms |`);
		L.push(`| … beyond the extra requests (retry bookkeeping, waits not overlapped) | ${f0(beyondExtra)} ms |`);
		L.push(
			`| configured backoff: expected full-jitter waits summed over the retries | ${f0(y.expectedBackoffMs)} ms (${f0(y.expectedBackoffMs / c)} ms if each wait idled one of ${c} slots) |`,
		);
		L.push(
			`| backoff actually waited (server: 503 answer → retry arrival), summed | ${f0(y.observedWaitMs)} ms (${f0(y.backoffPerSlotMs)} ms per slot) |`,
		);
		L.push(
			`| **added time over the configured backoff** (added − configured waits per slot) | **${f0(y.addedMs - y.expectedBackoffMs / c)} ms**: the waits overlap other items' sends |`,
		);
		L.push(
			`| projection, default Initial Retry Delay 2 s: waits summed / per slot | ${f0(projectedMs / 1000)} s / ${f0(projectedMs / c / 1000)} s (not run) |`,
		);
		L.push('');
	}

	L.push(
		`Total bench wall time: ${f0(r.wallMs / 1000)} s (${Object.entries(r.phases)
			.map(([k, v]) => `${k} ${f0(v / 1000)} s`)
			.join(
				', ',
			)}${r.n8nInstall?.attempted ? `; n8n install ${r.n8nInstall.cold ? 'cold' : 'reused'} ${f0((r.n8nInstall.ms ?? 0) / 1000)} s` : ''}).`,
	);
	return L.join('\n');
}

// Re-render the table and chart from a results file: node test/bench/lib/report.mjs [results/latest.json]
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
	const fs = await import('node:fs');
	const path = await import('node:path');
	const { writeChart } = await import('./chart.mjs');
	const file = path.resolve(process.argv[2] ?? new URL('../results/latest.json', import.meta.url).pathname);
	const r = JSON.parse(fs.readFileSync(file, 'utf8'));
	r.table = renderTable(r);
	fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
	writeChart(r, path.join(path.dirname(file), 'chart.svg'));
	process.stdout.write(r.table + '\n');
}
