/**
 * Templates with network tags, their fetches resolved to fixed data, render exactly as Ruby Liquid
 * renders the same template with the tags replaced by what they stand for: a JSON answer is the
 * variable it is saved into, a text answer is that text in place of the tag.
 */
import type { ConnectedContentAnswer, LiquidNetwork } from '../../../nodes/shared/liquid';
import { ourAnswer, rubyAnswer, rubyLiquidAvailable, runRubyOracle } from '../oracle-cases';
import { engine } from '../helpers';

const ANSWERS: Record<string, unknown> = {
	'https://api.example.com/profile': { name: 'Ada', tier: 'gold', points: 1250, tags: ['b', 'a', 'c'], address: { city: 'Paris' } },
	'https://api.example.com/orders': [{ id: 1, total: 10.5 }, { id: 2, total: 3 }],
	'https://api.example.com/motd': 'Hello from the server',
};

interface NetworkCase {
	id: string;
	/** As the user writes it, with network tags. */
	braze: string;
	/** The same in plain Liquid: tags replaced, JSON answers given as data. */
	ruby: string;
	data: Record<string, unknown>;
	/** Pinned (Ruby's answer, recorded with ruby-liquid 5.4), so the test means something without Ruby. */
	expected: string;
}

const profile = { ...(ANSWERS['https://api.example.com/profile'] as object), __http_status_code__: 200 };

const CASES: NetworkCase[] = [
	{
		id: 'json-fields-and-filters',
		braze: '{% connected_content https://api.example.com/profile %}{{ connected.name | upcase }} {{ connected.points | divided_by: 100 }} {{ connected.address.city }} {{ connected.tags | sort | join: "," }}',
		ruby: '{{ connected.name | upcase }} {{ connected.points | divided_by: 100 }} {{ connected.address.city }} {{ connected.tags | sort | join: "," }}',
		data: { connected: profile },
		expected: 'ADA 12 Paris a,b,c',
	},
	{
		id: 'save-and-loop',
		braze: '{% connected_content https://api.example.com/orders :save orders %}{% for o in orders %}{{ o.id }}={{ o.total | times: 2 }}{% unless forloop.last %};{% endunless %}{% endfor %}',
		ruby: '{% for o in orders %}{{ o.id }}={{ o.total | times: 2 }}{% unless forloop.last %};{% endunless %}{% endfor %}',
		data: { orders: ANSWERS['https://api.example.com/orders'] },
		expected: '1=21.0;2=6',
	},
	{
		id: 'text-inserted-in-capture',
		braze: '{% capture m %}[{% connected_content https://api.example.com/motd %}]{% endcapture %}{{ m | size }} {{ m | downcase }}',
		ruby: '{% capture m %}[Hello from the server]{% endcapture %}{{ m | size }} {{ m | downcase }}',
		data: {},
		expected: '23 [hello from the server]',
	},
	{
		id: 'conditional-on-status',
		braze: '{% connected_content https://api.example.com/profile :save p %}{% if p.__http_status_code__ == 200 and p.tier == "gold" %}VIP {{ p.name }}{% else %}regular{% endif %}',
		ruby: '{% if p.__http_status_code__ == 200 and p.tier == "gold" %}VIP {{ p.name }}{% else %}regular{% endif %}',
		data: { p: profile },
		expected: 'VIP Ada',
	},
	{
		id: 'inside-if-and-assign',
		braze: '{% if true %}{% connected_content https://api.example.com/profile :save p %}{% endif %}{% assign n = p.points | plus: 1 %}{{ n }} {{ p.tags | first }}',
		ruby: '{% assign n = p.points | plus: 1 %}{{ n }} {{ p.tags | first }}',
		data: { p: profile },
		expected: '1251 b',
	},
];

const network: LiquidNetwork = {
	connectedContent: async (request): Promise<ConnectedContentAnswer> => {
		const answer = ANSWERS[request.url];
		return typeof answer === 'string'
			? { kind: 'response', statusCode: 200, body: answer, contentType: 'text/plain' }
			: { kind: 'response', statusCode: 200, body: JSON.stringify(answer), contentType: 'application/json' };
	},
	catalogItems: async () => [],
};

describe('network tags resolved to fixed data render as Ruby Liquid', () => {
	const liquid = engine();
	test.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
		const ours = ourAnswer(await liquid.compile(c.braze, 'Body').renderAsync({}, network));
		expect(ours).toBe(c.expected);
	});

	const live = rubyLiquidAvailable() ? test : test.skip;
	live('Ruby Liquid renders the resolved templates as pinned', () => {
		const answers = runRubyOracle(CASES.map((c) => ({ id: c.id, template: c.ruby, data: c.data }))).map(rubyAnswer);
		expect(answers).toEqual(CASES.map((c) => c.expected));
	});
});
