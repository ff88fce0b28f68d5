import { toS } from '../ruby/to-s';
import { isNil, type FilterFunction } from './filter';

const HTML_ESCAPE: Record<string, string> = { '&': '&amp;', '>': '&gt;', '<': '&lt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPE[c]);
}

export const htmlFilters: Record<string, FilterFunction> = {
	escape: (input) => (isNil(input) ? input : escapeHtml(toS(input))),
	h: (input) => (isNil(input) ? input : escapeHtml(toS(input))),
	escape_once: (input) => toS(input).replace(/["><']|&(?!([a-zA-Z]+|(#\d+));)/g, (c) => HTML_ESCAPE[c]),
	strip_html: (input) =>
		toS(input)
			.replace(/<script[\s\S]*?<\/script>|<!--[\s\S]*?-->|<style[\s\S]*?<\/style>/g, '')
			.replace(/<[\s\S]*?>/g, ''),
	newline_to_br: (input) => toS(input).replace(/\r?\n/g, '<br />\n'),
};
