// Runs the analyzer of @n8n/scan-community-package on this package as n8n's verification would:
// the source pass (package.json, nodes/, credentials/) and the pass over the packed tarball (dist/).
// The scanner's provenance and download steps need a published version, so they are skipped here.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	'@n8n/scan-community-package/scanner/scanner.mjs'
);

if (!fs.existsSync(path.join(root, 'dist'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'braze-scan-'));
try {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
	)[0];
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', work]);

	const files = packed.files.map((file) => file.path).sort();
	const stray = files.filter(
		(file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
	);
	const declared = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).n8n;
	const missing = [...declared.nodes, ...declared.credentials].filter((file) => !files.includes(file));

	const passes = [
		['source (package.json, nodes/, credentials/)', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
		[`packed ${packed.filename} (${files.length} files)`, await analyzePackage(unpacked)],
	];
	let failed = false;
	for (const [label, result] of passes) {
		console.log(`${result.passed ? 'PASS' : 'FAIL'} scanner: ${label}${result.message ? `: ${result.message}` : ''}`);
		if (!result.passed) {
			failed = true;
			if (result.details) console.log(result.details);
		}
	}
	if (stray.length) {
		failed = true;
		console.log(`FAIL tarball holds files outside dist/: ${stray.join(', ')}`);
	}
	if (missing.length) {
		failed = true;
		console.log(`FAIL files the "n8n" field lists are not in the tarball: ${missing.join(', ')}`);
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
