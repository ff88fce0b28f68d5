import type { INodeProperties } from 'n8n-workflow';

import { checkIdentifier, checkUsersTrackBody, USERS_TRACK_ARRAYS, type UsersTrackBody } from '../../shared/braze/users-track';
import type { BrazeLiquid, CompiledTemplate, LiquidScope, LiquidTemplateError, RenderResult } from '../../shared/liquid';
import { buildUserScope } from '../../shared/braze/user-scope';
import { ItemInputError, tryParseJson } from '../values';
import type { ItemPlan } from './common';
import { LIQUID_EDITOR, LIQUID_RULE_HINT } from '../../shared/liquid-fields/editor';

const show = { show: { operation: ['customRequestBody'] } };

/** The first recipe of Braze's "Braze to Braze webhooks" article: an event property kept as an attribute. */
export const DEFAULT_CUSTOM_BODY = `{
  "attributes": [
    {
      "external_id": "{{\${user_id}}}",
      "new_custom_attribute": "{{event_properties.\${your_event_property}}}"
    }
  ]
}`;

export const BODY_FIELD = 'Request Body';

export const customRequestBodyProperties: INodeProperties[] = [
	{
		displayName:
			'The body is Braze Liquid, rendered for each item: ${first_name} and other standard attributes read the item\'s top-level fields (${user_id} falls back to external_id), custom_attribute reads "custom_attributes", event_properties, canvas_entry_properties, context and the other namespaces read the item fields of the same name. {% abort_message %} skips the item.',
		name: 'customBodyNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Request Body',
		name: 'body',
		type: 'string',
		typeOptions: { ...LIQUID_EDITOR, rows: 12 },
		hint: LIQUID_RULE_HINT,
		required: true,
		default: DEFAULT_CUSTOM_BODY,
		displayOptions: show,
		description:
			'A /users/track body in Braze Liquid, as in a Braze webhook. It must render to JSON with "attributes", "events" and/or "purchases" arrays; the objects of all items are sent together in batches.',
	},
];

/** Renders the compiled body for one item and reads the objects out of it. Free of n8n. */
export function renderCustomBody(
	template: CompiledTemplate,
	json: Record<string, unknown>,
	locate: (error: LiquidTemplateError) => Error = (error) => error,
	render: (template: CompiledTemplate, scope: LiquidScope) => RenderResult = (t, scope) => t.render(scope),
): ItemPlan {
	const rendered = render(template, buildUserScope(json));
	if (rendered.kind === 'abort') return { kind: 'aborted', reason: rendered.reason };
	if (rendered.kind === 'error') {
		throw new ItemInputError(`The request body's Liquid failed: ${locate(rendered.error).message}`);
	}
	const parsed = tryParseJson(rendered.output);
	if (!parsed.ok) {
		throw new ItemInputError(
			'The rendered request body is not valid JSON',
			`${parsed.problem}. Rendered body (first 300 characters): ${rendered.output.slice(0, 300)}`,
		);
	}
	const problem = checkUsersTrackBody(parsed.value);
	if (problem) throw new ItemInputError(`The rendered request body is not a /users/track body: ${problem}`);
	const body = parsed.value as UsersTrackBody;
	for (const array of USERS_TRACK_ARRAYS) {
		(body[array] ?? []).forEach((object, index) => {
			const missing = checkIdentifier(object as Record<string, unknown>);
			if (missing) throw new ItemInputError(`The rendered request body's ${array}[${index}]: ${missing}`);
		});
	}
	return { kind: 'objects', objects: body };
}

/** Compiles the body once per execution; a template error concerns every item. */
export function compileCustomBody(liquid: BrazeLiquid, source: string): CompiledTemplate {
	return liquid.compile(source, BODY_FIELD);
}
