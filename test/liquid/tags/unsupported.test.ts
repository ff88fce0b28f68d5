import { compileError } from '../helpers';

describe('Braze tags', () => {
	test.each([
		['{% include "header" %}', 'include is not available'],
		['{% render "header" %}', 'render is not available'],
		['{% layout "base" %}', 'layout is not available'],
		['{{ content_blocks.${promo_block} | upcase }}', 'content_blocks is written {{content_blocks.${name}}} on its own'],
		['{% content_blocks promo %}', 'content_blocks is written {{content_blocks.${name}}} on its own'],
		['{% catalog_selection_items games picks %}', 'catalog_selection_items is not available in n8n'],
		['{% liquid\necho 1\nconnected_content https://x.example :save r\n%}', 'connected_content must be written as its own tag'],
	])('%s is unsupported', (source, start) => {
		const error = compileError(source);
		expect(error.kind).toBe('unsupported');
		expect(error.reason.startsWith(start)).toBe(true);
	});
});
