// Regenerates golden.json: renders every corpus case with Ruby Liquid (test/liquid/oracle/render.rb).
// Requires `ruby` and Debian's ruby-liquid (5.4). Usage: node test/liquid/oracle/generate.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, DATA } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export function normalizeCases() {
	return CASES.map((entry) => {
		const c = Array.isArray(entry) ? { id: entry[0], template: entry[1], data: entry[2] } : { ...entry };
		return { id: c.id, template: c.template, braze: c.braze, data: c.data ?? DATA };
	});
}

export function runOracle(cases) {
	const input = JSON.stringify(cases.map(({ id, template, data }) => ({ id, template, data })));
	const stdout = execFileSync('ruby', [path.join(here, 'render.rb')], {
		input,
		encoding: 'utf8',
		env: { ...process.env, TZ: 'UTC' },
		maxBuffer: 64 * 1024 * 1024,
	});
	return JSON.parse(stdout);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const cases = normalizeCases();
	const ids = new Set();
	for (const c of cases) {
		if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
		ids.add(c.id);
	}
	const results = runOracle(cases);
	const version = execFileSync('ruby', ['-rliquid', '-e', 'print "ruby #{RUBY_VERSION}, liquid #{Liquid::VERSION}"'], {
		encoding: 'utf8',
	});
	const golden = {
		generatedBy: 'node test/liquid/oracle/generate.mjs',
		oracle: version,
		cases: cases.map((c, i) => ({ ...c, data: c.data === DATA ? undefined : c.data, ...strip(results[i]) })),
		data: DATA,
	};
	fs.writeFileSync(path.join(here, 'golden.json'), `${JSON.stringify(golden, null, '\t')}\n`);
	console.log(`golden.json: ${cases.length} cases (${version})`);
}

function strip(result) {
	return 'error' in result ? { error: result.error } : { output: result.output };
}
