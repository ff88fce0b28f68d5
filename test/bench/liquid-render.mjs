// Benchmark (not a test): per-item render cost of the Braze dialect from the BUILT package against
// plain liquidjs renderSync on the equivalent standard-Liquid template, same data.
// Usage: npm run build && node test/bench/liquid-render.mjs [renders-per-round] [rounds] [--json]
// Two templates, both parsed once (as the nodes parse once per execution) and rendered per item:
//  - "rich": a webhook body with Braze attributes, nested namespaces, assign/if and json_escape;
//  - "webhook body": the body the throughput benchmarks send (lib/workload.mjs), rendered the way the
//    node does it per item (Braze user scope built from the item, then render), against plain
//    liquidjs renderSync on the raw item.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { BrazeLiquid } = require(path.join(root, 'dist/nodes/shared/liquid/index.js'));
const { Liquid } = require('liquidjs');

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const JSON_OUT = process.argv.includes('--json');
const RENDERS = Number(positional[0] ?? 20000);
const ROUNDS = Number(positional[1] ?? 7);
const { buildUserScope } = require(path.join(root, 'dist/nodes/shared/braze/user-scope.js'));
const { makeItem, WEBHOOK_BODY } = await import('./lib/workload.mjs');

const BRAZE = `{% assign visits = {{custom_attribute.\${visit_count}}} | plus: 1 %}
{
  "external_id": "{{\${user_id}}}",
  "email": "{{\${email_address}}}",
  "first_name": "{{\${first_name} | default: 'there'}}",
  "last_name": "{{\${last_name}}}",
  "city": "{{\${city}}}",
  "country": "{{\${country}}}",
  "language": "{{\${language}}}",
  "zip": "{{custom_attribute.\${zip code}}}",
  "tier": "{{custom_attribute.\${loyalty tier}}}",
  "favourite": "{{custom_attribute.\${songs}[0].artist}}",
  "note": "{{event_properties.\${note} | json_escape}}",
  "campaign": "{{campaign.\${name}}}",
  "visits": {{visits}},
  {% if custom_attribute.\${vip} %}"segment": "vip",{% else %}"segment": "standard",{% endif %}
  "canvas": "{{canvas.\${variant_name}}}"
}`;

const STANDARD = `{% assign visits = custom_attribute.visit_count | plus: 1 %}
{
  "external_id": "{{user_id}}",
  "email": "{{email_address}}",
  "first_name": "{{first_name | default: 'there'}}",
  "last_name": "{{last_name}}",
  "city": "{{city}}",
  "country": "{{country}}",
  "language": "{{language}}",
  "zip": "{{custom_attribute["zip code"]}}",
  "tier": "{{custom_attribute["loyalty tier"]}}",
  "favourite": "{{custom_attribute.songs[0].artist}}",
  "note": "{{event_properties.note | json_escape}}",
  "campaign": "{{campaign.name}}",
  "visits": {{visits}},
  {% if custom_attribute.vip %}"segment": "vip",{% else %}"segment": "standard",{% endif %}
  "canvas": "{{canvas.variant_name}}"
}`;

function item(i) {
	return {
		user_id: `user-${i}`,
		email_address: `user${i}@example.com`,
		first_name: i % 7 === 0 ? '' : `First${i}`,
		last_name: `Last${i}`,
		city: 'Oslo',
		country: 'NO',
		language: 'nb',
		custom_attribute: {
			visit_count: i % 50,
			'zip code': String(10000 + i),
			'loyalty tier': i % 3 === 0 ? 'gold' : 'silver',
			songs: [{ artist: 'Miles Davis' }],
			vip: i % 2 === 0,
		},
		event_properties: { note: `He said "hi" #${i}\n` },
		campaign: { name: 'Spring' },
		canvas: { variant_name: 'A' },
	};
}

const items = Array.from({ length: 1000 }, (_, i) => item(i));

const WEBHOOK_STANDARD =
	'{"external_id":"{{external_id}}","attr":"{{attr}}","email":"{{email}}","plan":"{{plan}}",' +
	'"country":"{{country}}","signup_ts":"{{signup_ts}}","score":{{score}},"tags":{{tags | json}}}';
const webhookItems = Array.from({ length: 1000 }, (_, i) => makeItem(i));

const plain = new Liquid();
plain.registerFilter('json_escape', (v) => JSON.stringify(String(v ?? '')).slice(1, -1));

function timeParse(fn, reps = 200) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < reps; i++) fn(i);
	return Number(process.hrtime.bigint() - start) / reps;
}

const cases = [
	{
		name: 'rich',
		label: 'Braze webhook body (attributes, namespaces, assign/if, json_escape)',
		data: items,
		braze: new BrazeLiquid().compile(BRAZE, 'Body'),
		plainTemplate: plain.parse(STANDARD),
		ours: (t, data) => t.render(data),
		// A fresh engine per parse, so its compile cache does not hide the parse.
		parseOurs: () => new BrazeLiquid().compile(BRAZE, 'Body'),
		parsePlain: () => plain.parse(STANDARD),
	},
	{
		name: 'webhook-body',
		label: "the throughput benchmarks' body, with the per-item Braze user scope",
		data: webhookItems,
		braze: new BrazeLiquid().compile(WEBHOOK_BODY, 'Raw Body'),
		plainTemplate: plain.parse(WEBHOOK_STANDARD),
		ours: (t, data) => t.render(buildUserScope(data, {})),
		parseOurs: () => new BrazeLiquid().compile(WEBHOOK_BODY, 'Raw Body'),
		parsePlain: () => plain.parse(WEBHOOK_STANDARD),
	},
];

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const results = [];
for (const c of cases) {
	// Same output is the precondition for comparing cost.
	for (const data of c.data.slice(0, 50)) {
		const ours = c.ours(c.braze, data);
		const theirs = plain.renderSync(c.plainTemplate, data);
		if (ours.kind !== 'output' || ours.output !== theirs) {
			console.error(`${c.name}: outputs differ:`, JSON.stringify(ours), JSON.stringify(theirs));
			process.exit(1);
		}
	}
	const round = (fn) => {
		const start = process.hrtime.bigint();
		for (let i = 0; i < RENDERS; i++) fn(c.data[i % c.data.length]);
		return Number(process.hrtime.bigint() - start) / RENDERS;
	};
	const renderBraze = (data) => c.ours(c.braze, data);
	const renderPlain = (data) => plain.renderSync(c.plainTemplate, data);
	for (let i = 0; i < 3; i++) {
		round(renderBraze);
		round(renderPlain);
	}
	const times = { braze: [], plain: [], ratio: [] };
	for (let r = 0; r < ROUNDS; r++) {
		// Alternate the order so neither side always runs on a warmer heap.
		let b, p;
		if (r % 2 === 0) {
			b = round(renderBraze);
			p = round(renderPlain);
		} else {
			p = round(renderPlain);
			b = round(renderBraze);
		}
		times.braze.push(b);
		times.plain.push(p);
		times.ratio.push(b / p);
	}
	results.push({
		name: c.name,
		label: c.label,
		oursNs: median(times.braze),
		plainNs: median(times.plain),
		oursMinNs: Math.min(...times.braze),
		plainMinNs: Math.min(...times.plain),
		ratio: median(times.ratio),
		ratioRange: [Math.min(...times.ratio), Math.max(...times.ratio)],
		parseOursUs: timeParse(c.parseOurs) / 1000,
		parsePlainUs: timeParse(c.parsePlain) / 1000,
	});
}

const meta = { renders: RENDERS, rounds: ROUNDS, node: process.version, liquidjs: require('liquidjs/package.json').version };
if (JSON_OUT) {
	process.stdout.write(JSON.stringify({ meta, results }) + '\n');
} else {
	console.log(`${RENDERS} renders x ${ROUNDS} rounds (node ${meta.node}, liquidjs ${meta.liquidjs})`);
	console.log('');
	console.log(
		'| template | Braze dialect (dist) ns/render | plain liquidjs renderSync ns/render | ratio (median of rounds) | parse once, µs (ours / plain) |',
	);
	console.log('|---|---:|---:|---:|---:|');
	for (const r of results) {
		console.log(
			`| ${r.name} | ${r.oursNs.toFixed(0)} | ${r.plainNs.toFixed(0)} | ${r.ratio.toFixed(3)} | ${r.parseOursUs.toFixed(0)} / ${r.parsePlainUs.toFixed(0)} |`,
		);
	}
	console.log('');
	console.log('target: ratio <= 1.2');
}
