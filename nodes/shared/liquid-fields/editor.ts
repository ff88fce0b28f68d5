/**
 * The editor of every Liquid field. In a code-editor field n8n's editor keeps typed or pasted `{{ }}`
 * as written; a plain string field turns into an Expression and auto-closes braces
 * (measured in n8n 2.41.1, see test/e2e/README.md).
 */
export const LIQUID_EDITOR = { editor: 'jsEditor' } as const;

/** The rule for which `{{ }}` is n8n's, as field hints show it (README: "Which {{ }} is n8n's"). */
export const LIQUID_RULE_HINT =
	"Braze Liquid, rendered per item. A {{ }} that uses an n8n variable, like {{ $json.email }}, is n8n's and is evaluated first; every other {{ }} and {% %} is Liquid.";
