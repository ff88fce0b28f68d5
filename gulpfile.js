const { series, src, dest } = require('gulp');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const DIST = path.join(__dirname, 'dist');

// n8n's community-package rules forbid runtime `dependencies`, so liquidjs is bundled into dist/
// as one vendored file, and the single source module that imports it is pointed at that file.
const LIQUID_IMPORTER = 'nodes/shared/liquid/engine.js';
const LIQUID_VENDOR = 'nodes/shared/vendor/liquidjs.js';

function clean(done) {
	fs.rmSync(DIST, { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
		stdio: 'inherit',
	});
	done();
}

function copyNodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], { encoding: false }).pipe(
		dest('dist/nodes'),
	);
}

function copyCredentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false, allowEmpty: true }).pipe(
		dest('dist/credentials'),
	);
}

async function bundleLiquid() {
	const esbuild = require('esbuild');
	// The browser build has no file-system loader (no `fs`, no `path`), which the scanner's
	// no-restricted-imports rule would reject; includes are disabled by the dialect anyway.
	await esbuild.build({
		entryPoints: [require.resolve('liquidjs/dist/liquid.browser.mjs')],
		outfile: path.join(DIST, LIQUID_VENDOR),
		bundle: true,
		format: 'cjs',
		platform: 'neutral',
		target: 'es2019',
		legalComments: 'inline',
		// The scanner bans the `global` object and console output in dist/: liquidjs only probes
		// `global.performance` (its fallback is Date.now) and warns about options we never set.
		define: { global: 'undefined' },
		drop: ['console'],
		logLevel: 'warning',
	});
	const importer = path.join(DIST, LIQUID_IMPORTER);
	const relative = path
		.relative(path.dirname(importer), path.join(DIST, LIQUID_VENDOR))
		.replace(/\.js$/, '');
	const specifier = relative.startsWith('.') ? relative : `./${relative}`;
	const code = fs.readFileSync(importer, 'utf8');
	const rewritten = code.replace(/require\("liquidjs"\)/g, `require("${specifier}")`);
	if (rewritten === code) {
		throw new Error(`${LIQUID_IMPORTER} no longer requires "liquidjs": update gulpfile.js`);
	}
	fs.writeFileSync(importer, rewritten);
	const stray = findRequires(DIST, 'liquidjs');
	if (stray.length > 0) {
		throw new Error(`liquidjs is required outside ${LIQUID_IMPORTER}: ${stray.join(', ')}`);
	}
}

function findRequires(dir, moduleName) {
	const hits = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) hits.push(...findRequires(full, moduleName));
		else if (entry.name.endsWith('.js') && fs.readFileSync(full, 'utf8').includes(`require("${moduleName}")`))
			hits.push(path.relative(DIST, full));
	}
	return hits;
}

exports.clean = clean;
exports['build:icons'] = series(copyNodeAssets, copyCredentialAssets);
exports.build = series(clean, compile, copyNodeAssets, copyCredentialAssets, bundleLiquid);
exports.default = exports.build;
