// Matching for the recipe expectation files (examples/*.e2e.json). See examples/README.md for the format.

/**
 * Partial deep match: every key in `expected` must match in `actual`; arrays match element-wise and must
 * have the same length; strings starting with "re:" are regular expressions; "*" matches anything
 * present; null matches null or absent; {"$every": X} matches a non-empty object/array whose every value
 * matches X.
 * @returns {string|undefined} a description of the first mismatch, or undefined when it matches
 */
export function mismatch(actual, expected, where = '$') {
	if (expected === '*') return actual === undefined ? `${where}: missing` : undefined;
	if (typeof expected === 'string' && expected.startsWith('re:')) {
		const re = new RegExp(expected.slice(3));
		return typeof actual === 'string' && re.test(actual) ? undefined : `${where}: ${JSON.stringify(actual)} !~ /${re.source}/`;
	}
	if (expected === null) return actual === null || actual === undefined ? undefined : `${where}: expected null, got ${JSON.stringify(actual)}`;
	if (Array.isArray(expected)) {
		if (!Array.isArray(actual)) return `${where}: expected an array, got ${JSON.stringify(actual)}`;
		if (actual.length !== expected.length) return `${where}: expected ${expected.length} elements, got ${actual.length}`;
		for (let i = 0; i < expected.length; i++) {
			const m = mismatch(actual[i], expected[i], `${where}[${i}]`);
			if (m) return m;
		}
		return undefined;
	}
	if (typeof expected === 'object') {
		if (actual === null || typeof actual !== 'object') return `${where}: expected an object, got ${JSON.stringify(actual)}`;
		if ('$every' in expected) {
			// {"$every": X}: a non-empty object or array whose every value matches X (for keys not known in advance).
			const values = Object.values(actual);
			if (values.length === 0) return `${where}: expected at least one entry`;
			for (const [k, v] of Object.entries(actual)) {
				const m = mismatch(v, expected.$every, `${where}.${k}`);
				if (m) return m;
			}
			return undefined;
		}
		for (const [k, v] of Object.entries(expected)) {
			const m = mismatch(actual[k], v, `${where}.${k}`);
			if (m) return m;
		}
		return undefined;
	}
	return actual === expected ? undefined : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Shape of a recorded request as the expectations see it. */
export function requestView(r) {
	return { method: r.method, path: r.path, query: r.query, headers: r.headers, body: r.body, json: r.json };
}

/**
 * Unordered matching of expected requests against received ones (deliveries run concurrently):
 * each expected entry must match a distinct received request. With `exact`, nothing else may arrive.
 * @returns {string[]} problems (empty when all good)
 */
export function matchRequests(received, expected, { exact = true, label = 'stand-in' } = {}) {
	const problems = [];
	const views = received.map(requestView);
	const used = new Set();
	expected.forEach((exp, i) => {
		let best;
		for (let j = 0; j < views.length; j++) {
			if (used.has(j)) continue;
			const m = mismatch(views[j], exp);
			if (!m) {
				used.add(j);
				best = undefined;
				return;
			}
			best ??= m;
		}
		problems.push(`${label}: expected request #${i} not received (closest mismatch: ${best ?? 'no requests left'}); expected ${JSON.stringify(exp)}`);
	});
	if (exact && received.length !== expected.length) {
		problems.push(
			`${label}: received ${received.length} requests, expected ${expected.length}: ${JSON.stringify(views.map((v) => `${v.method} ${v.path} ${v.body.slice(0, 200)}`))}`,
		);
	}
	return problems;
}
