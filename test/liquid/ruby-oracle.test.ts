import { BrazeLiquid } from '../../nodes/shared/liquid';
import golden from './oracle/golden.json';
import { ourAnswer, renderOurs, rubyAnswer, rubyLiquidAvailable, runRubyOracle, type OracleCase } from './oracle-cases';

// Our dialect against Shopify's Ruby Liquid 5.4 (what Braze runs): the committed golden answers
// always, and Ruby itself when it is installed (CI sets REQUIRE_LIQUID_ORACLE=1 and installs it).

const DATA = golden.data as Record<string, unknown>;
const CASES = golden.cases as OracleCase[];

function engine(): BrazeLiquid {
	return new BrazeLiquid();
}

/**
 * Where we knowingly differ from plain Ruby Liquid: our answer is pinned, and so is Ruby's (if
 * either changes, the test says so).
 */
const KNOWN_DIFFERENCES: Record<string, { why: string; ours: string }> = {
	'out-string-literal': {
		why: 'liquidjs lets \\" continue a string literal; Ruby ends the literal at the first quote',
		ours: 'a\\"b|it',
	},
	'out-range': { why: 'Ruby prints a Range as "1..4"; liquidjs ranges are arrays, printed joined', ours: '1234' },
	blank: {
		why: "Braze runs inside Rails, where ActiveSupport defines blank? (nil, false, '', ' ', [] are blank); plain Ruby Liquid has no blank? so `== blank` is never true",
		ours: 'a|b|c|d|e',
	},
	tablerow: {
		why: 'Ruby puts newlines after <tr> and </tr>; liquidjs does not (tablerow has no use in webhook bodies)',
		ours: '<tr class="row1"><td class="col1">1</td><td class="col2">2</td></tr><tr class="row2"><td class="col1">3</td></tr>',
	},
	comment: {
		why: 'Ruby parses the tags inside a comment body (an unclosed {% if %} there is an error); we skip the body unread',
		ours: 'ab',
	},
};

describe('golden answers of Ruby Liquid 5.4', () => {
	const liquid = engine();
	const matching = CASES.filter((c) => !(c.id in KNOWN_DIFFERENCES));
	test.each(matching.map((c) => [c.id, c] as const))('%s', (_id, c) => {
		const result = renderOurs(liquid, c.braze ?? c.template, c.data ?? DATA);
		expect(ourAnswer(result)).toBe(rubyAnswer(c));
	});

	const differing = CASES.filter((c) => c.id in KNOWN_DIFFERENCES);
	test.each(differing.map((c) => [c.id, c] as const))('known difference: %s', (id, c) => {
		const known = KNOWN_DIFFERENCES[id];
		const ours = ourAnswer(renderOurs(liquid, c.braze ?? c.template, c.data ?? DATA));
		expect(ours).toBe(known.ours);
		expect(rubyAnswer(c)).not.toBe(known.ours);
	});

	test('every known difference names a corpus case', () => {
		expect(Object.keys(KNOWN_DIFFERENCES).filter((id) => !CASES.some((c) => c.id === id))).toEqual([]);
	});
});

const available = rubyLiquidAvailable();
const required = process.env.REQUIRE_LIQUID_ORACLE === '1';

describe('live Ruby Liquid oracle', () => {
	if (!available) {
		test('ruby with the liquid gem is installed', () => {
			if (required) {
				throw new Error('REQUIRE_LIQUID_ORACLE=1 but `ruby -e \'require "liquid"\'` fails: install ruby and ruby-liquid');
			}
		});
		return;
	}

	test('the golden file matches what Ruby renders now', () => {
		const live = runRubyOracle(CASES.map((c) => ({ id: c.id, template: c.template, data: c.data ?? DATA })));
		expect(live.map(rubyAnswer)).toEqual(CASES.map(rubyAnswer));
	});

	test('generated filter and tag combinations render as in Ruby', () => {
		const cases = generatedCases(80);
		const live = runRubyOracle(cases);
		const liquid = engine();
		const mismatches = cases
			.map((c, i) => ({ template: c.template, ruby: rubyAnswer(live[i]), ours: ourAnswer(renderOurs(liquid, c.template, c.data)) }))
			.filter((m) => m.ruby !== m.ours);
		expect(mismatches).toEqual([]);
	});
});

/** A small seeded PRNG, so a failing combination can be reproduced. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const VALUES = ['n', 'f', 'neg', 'name', 'num_s', 'dec_s', 'arr', 'words', 'empty_s', 'space', 'missing', '1.5', '2', '-3', '"7.25"', '0.1', '10'];
const NUMERIC_FILTERS = ['plus', 'minus', 'times', 'divided_by', 'modulo', 'at_least', 'at_most'];
const UNARY_FILTERS = ['abs', 'ceil', 'floor', 'round', 'size', 'upcase', 'capitalize', 'first', 'last', 'reverse', 'sort', 'uniq', 'strip', 'escape', 'url_encode', 'json_string'];
const STRING_FILTERS = ['append', 'prepend', 'split', 'remove', 'truncate', 'default', 'join'];
const ARGUMENTS = ['1', '3', '0.5', '"2"', '"a"', '" "', 'n', 'f'];

function generatedCases(count: number): Array<{ id: string; template: string; data: Record<string, unknown> }> {
	const random = prng(20241122);
	const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
	const cases = [];
	for (let i = 0; i < count; i++) {
		const steps: string[] = [];
		const length = 1 + Math.floor(random() * 3);
		for (let s = 0; s < length; s++) {
			const kind = random();
			if (kind < 0.45) steps.push(`${pick(NUMERIC_FILTERS)}: ${pick(ARGUMENTS)}`);
			else if (kind < 0.75) steps.push(pick(UNARY_FILTERS.filter((f) => f !== 'json_string')));
			else steps.push(`${pick(STRING_FILTERS)}: ${pick(ARGUMENTS)}`);
		}
		const value = pick(VALUES);
		const output = `{{ ${value} | ${steps.join(' | ')} }}`;
		const template = random() < 0.3 ? `{% assign v = ${value} | ${steps[0]} %}{% if v > 2 %}big{% else %}{{ v }}{% endif %}` : output;
		cases.push({ id: `gen-${i}`, template, data: DATA });
	}
	return cases;
}
