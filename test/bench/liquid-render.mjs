// Benchmark (not a test): per-item render cost of the Braze dialect from the BUILT package against
// plain liquidjs renderSync on the equivalent standard-Liquid template, same data.
// Usage: npm run build && node test/bench/liquid-render.mjs [renders-per-round] [rounds]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { BrazeLiquid } = require(path.join(root, 'dist/nodes/shared/liquid/index.js'));
const { Liquid } = require('liquidjs');

const RENDERS = Number(process.argv[2] ?? 20000);
const ROUNDS = Number(process.argv[3] ?? 7);

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

const braze = new BrazeLiquid().compile(BRAZE, 'Body');
const plain = new Liquid();
plain.registerFilter('json_escape', (v) => JSON.stringify(String(v ?? '')).slice(1, -1));
const plainTemplate = plain.parse(STANDARD);

// Same output is the precondition for comparing cost.
for (const data of items.slice(0, 50)) {
	const ours = braze.render(data);
	const theirs = plain.renderSync(plainTemplate, data);
	if (ours.kind !== 'output' || ours.output !== theirs) {
		console.error('outputs differ:', JSON.stringify(ours), JSON.stringify(theirs));
		process.exit(1);
	}
}

function round(fn) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < RENDERS; i++) fn(items[i % items.length]);
	return Number(process.hrtime.bigint() - start) / RENDERS;
}

const renderBraze = (data) => braze.render(data);
const renderPlain = (data) => plain.renderSync(plainTemplate, data);
for (let i = 0; i < 3; i++) {
	round(renderBraze);
	round(renderPlain);
}

const times = { braze: [], plain: [] };
for (let r = 0; r < ROUNDS; r++) {
	// Alternate the order so neither side always runs on a warmer heap.
	if (r % 2 === 0) {
		times.braze.push(round(renderBraze));
		times.plain.push(round(renderPlain));
	} else {
		times.plain.push(round(renderPlain));
		times.braze.push(round(renderBraze));
	}
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const b = median(times.braze);
const p = median(times.plain);
console.log(`Braze webhook body, ${RENDERS} renders x ${ROUNDS} rounds (node ${process.version}, liquidjs ${require('liquidjs/package.json').version})`);
console.log('');
console.log('| engine                               | median ns/render | min ns/render |');
console.log('|--------------------------------------|-----------------:|--------------:|');
console.log(`| Braze dialect (dist)                 | ${b.toFixed(0).padStart(16)} | ${Math.min(...times.braze).toFixed(0).padStart(13)} |`);
console.log(`| plain liquidjs renderSync            | ${p.toFixed(0).padStart(16)} | ${Math.min(...times.plain).toFixed(0).padStart(13)} |`);
console.log('');
console.log(`ratio (dialect / plain, medians): ${(b / p).toFixed(3)}  (target <= 1.2)`);
