// Smoke: the packed package, installed as a community package, loads in real n8n (`n8n start`):
// both node types and both credential types are served to the editor.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { buildAndPack, CREDENTIAL_TYPES, createUserFolder, ensureN8n, listRecipes, NODE_TYPES, startN8n } from './n8n.mjs';

let n8n;

before(async () => {
	await ensureN8n();
	const tgz = await buildAndPack();
	const userFolder = await createUserFolder(tgz);
	n8n = await startN8n(userFolder);
}, { timeout: 15 * 60_000 });

after(async () => {
	await n8n?.stop();
});

test('n8n answers on 127.0.0.1 and the owner can log in', { timeout: 2 * 60_000 }, async () => {
	assert.match(n8n.url, /^http:\/\/127\.0\.0\.1:\d+$/);
	assert.ok(n8n.cookie.includes('n8n-auth='), `no auth cookie: ${n8n.cookie}`);
	const me = await n8n.request('GET', '/rest/login');
	assert.equal(me.status, 200, me.text.slice(0, 300));
	assert.equal(me.json?.data?.email, n8n.owner.email);
});

test('GET /types/nodes.json lists both node types', { timeout: 2 * 60_000 }, async () => {
	const r = await n8n.request('GET', '/types/nodes.json', { timeoutMs: 60_000 });
	assert.equal(r.status, 200, r.text.slice(0, 300));
	assert.ok(Array.isArray(r.json), 'nodes.json is not an array');
	const byName = new Map(r.json.map((t) => [t.name, t]));
	const webhook = byName.get(NODE_TYPES.brazeWebhook);
	const b2b = byName.get(NODE_TYPES.brazeToBraze);
	assert.ok(webhook, `${NODE_TYPES.brazeWebhook} missing (${r.json.length} types loaded)`);
	assert.ok(b2b, `${NODE_TYPES.brazeToBraze} missing`);
	assert.equal(webhook.displayName, 'Braze-Style Webhook');
	assert.equal(b2b.displayName, 'Braze to Braze');
	// Icons are served by n8n from the installed package.
	for (const t of [webhook, b2b]) {
		const icon = typeof t.iconUrl === 'string' ? t.iconUrl : t.iconUrl?.light;
		assert.ok(icon, `${t.name} has no iconUrl`);
		const res = await n8n.request('GET', `/${icon}`);
		assert.equal(res.status, 200, `icon ${icon}: ${res.status}`);
		assert.match(res.text, /<svg/);
	}
});

test('GET /types/credentials.json knows both credential types', { timeout: 2 * 60_000 }, async () => {
	const r = await n8n.request('GET', '/types/credentials.json', { timeoutMs: 60_000 });
	assert.equal(r.status, 200, r.text.slice(0, 300));
	const names = new Set(r.json.map((c) => c.name));
	for (const name of CREDENTIAL_TYPES) assert.ok(names.has(name), `credential type ${name} missing`);
});

test('only this package\'s node types (and their AI-tool variants) come from the package', { timeout: 2 * 60_000 }, async () => {
	// Installed by hand into .n8n/nodes (no database entry), as n8n's docs describe for manual installs.
	const r = await n8n.request('GET', '/types/nodes.json', { timeoutMs: 60_000 });
	const ours = r.json.map((t) => t.name).filter((n) => n.startsWith('n8n-nodes-braze-webhooks.'));
	// usableAsTool: n8n adds a "<name>Tool" variant for AI agents.
	const base = [...new Set(ours.map((n) => n.replace(/Tool$/, '')))].sort();
	assert.deepEqual(base, Object.values(NODE_TYPES).sort());
});

test('every parameter the recipes set on our nodes exists in the node (a rename would be ignored silently)', { timeout: 2 * 60_000 }, async () => {
	const r = await n8n.request('GET', '/types/nodes.json', { timeoutMs: 60_000 });
	const byName = new Map(r.json.map((t) => [t.name, t]));
	const problems = [];
	const check = (values, properties, where) => {
		for (const [key, value] of Object.entries(values ?? {})) {
			const candidates = properties.filter((p) => p.name === key);
			if (candidates.length === 0) {
				problems.push(`${where}.${key}: no such parameter`);
				continue;
			}
			for (const prop of candidates) {
				if (prop.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
					const allowed = (prop.options ?? []).map((o) => o.value);
					if (candidates.length === 1 && !allowed.includes(value)) problems.push(`${where}.${key}: "${value}" not in ${JSON.stringify(allowed)}`);
				}
			}
			const nested = candidates.find((p) => p.type === 'collection' || p.type === 'fixedCollection');
			if (!nested || value === null || typeof value !== 'object') continue;
			if (nested.type === 'collection') check(value, nested.options ?? [], `${where}.${key}`);
			else {
				for (const [group, entries] of Object.entries(value)) {
					const option = (nested.options ?? []).find((o) => o.name === group);
					if (!option) {
						problems.push(`${where}.${key}.${group}: no such group`);
						continue;
					}
					for (const entry of Array.isArray(entries) ? entries : [entries]) check(entry, option.values ?? [], `${where}.${key}.${group}`);
				}
			}
		}
	};
	for (const recipe of listRecipes()) {
		for (const node of recipe.workflow.nodes) {
			const type = byName.get(node.type);
			if (!node.type.startsWith('n8n-nodes-braze-webhooks.')) continue;
			assert.ok(type, `${recipe.name}: node type ${node.type} unknown`);
			check(node.parameters, type.properties, `${recipe.name} "${node.name}"`);
			for (const cred of Object.keys(node.credentials ?? {})) {
				if (!(type.credentials ?? []).some((c) => c.name === cred)) problems.push(`${recipe.name} "${node.name}": credential ${cred} not accepted`);
			}
		}
	}
	assert.deepEqual(problems, []);
});
