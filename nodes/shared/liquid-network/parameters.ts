/**
 * The one collection both nodes add for Liquid that reaches out ("Connected Content"), and the
 * optional credential holding Braze-style named Connected Content credentials.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const CONNECTED_CONTENT_PARAMETER = 'connectedContent';
export const CONNECTED_CONTENT_CREDENTIAL = 'brazeConnectedContentApi';

export const connectedContentProperty: INodeProperties = {
	displayName: 'Connected Content',
	name: CONNECTED_CONTENT_PARAMETER,
	type: 'collection',
	placeholder: 'Add Connected Content Option',
	default: {},
	description:
		'How {% connected_content %}, {% catalog_items %} and {{content_blocks.${name}}} in this node\'s Liquid fetch. Named credentials for :basic_auth and :auth_credentials come from a Braze Connected Content credential.',
	options: [
		{
			displayName: 'Allowed Ports',
			name: 'allowedPorts',
			type: 'string',
			default: '80, 443',
			description: 'Ports connected_content may call. Braze allows 80 and 443 only; * allows any port.',
		},
		{
			displayName: 'Content Blocks',
			name: 'contentBlocks',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			description:
				'Content Blocks for {{content_blocks.${name}}}, defined here (they win over blocks of the same name in the Braze workspace)',
			options: [
				{
					displayName: 'Block',
					name: 'block',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'promo_footer' },
						{
							displayName: 'Liquid',
							name: 'content',
							type: 'string',
							typeOptions: { rows: 4 },
							default: '',
							noDataExpression: true,
						},
					],
				},
			],
		},
		{
			displayName: 'Fetch Content Blocks From Braze',
			name: 'workspaceContentBlocks',
			type: 'boolean',
			default: false,
			description:
				'Whether blocks not defined here are fetched from the Braze workspace of the node\'s Braze API credential (content_blocks.list and content_blocks.info permissions); catalog_items always uses it (catalogs.get_item)',
		},
		{
			displayName: 'Perform POST Calls in Dry Run',
			name: 'dryRunPost',
			type: 'boolean',
			default: false,
			description:
				'Whether a dry run also makes connected_content POST calls. GET calls are always made, so the dry run shows what they returned.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 90, numberPrecision: 1 },
			default: 2,
			description: 'How long connected_content waits for an answer (Braze: 2 seconds)',
		},
	],
};

export interface ConnectedContentSettings {
	timeoutMs: number;
	/** undefined: any port. */
	allowedPorts?: Set<number>;
	dryRunPost: boolean;
	localBlocks: Map<string, string>;
	workspaceBlocks: boolean;
}

export function readConnectedContentSettings(ctx: IExecuteFunctions): ConnectedContentSettings {
	const options = ctx.getNodeParameter(CONNECTED_CONTENT_PARAMETER, 0, {}, { rawExpressions: true }) as IDataObject;
	const evaluated = ctx.getNodeParameter(CONNECTED_CONTENT_PARAMETER, 0, {}) as IDataObject;
	const ports = String(evaluated.allowedPorts ?? '80, 443').trim();
	const blocks = ((options.contentBlocks as IDataObject | undefined)?.block ?? []) as Array<{ name?: unknown; content?: unknown }>;
	return {
		timeoutMs: Math.max(100, Math.round(Number(evaluated.timeoutSeconds ?? 2) * 1000) || 2000),
		allowedPorts:
			ports === '*'
				? undefined
				: new Set(
						ports
							.split(/[\s,]+/)
							.filter(Boolean)
							.map(Number)
							.filter((port) => Number.isInteger(port) && port > 0),
					),
		dryRunPost: evaluated.dryRunPost === true,
		localBlocks: new Map(
			blocks
				.filter((block) => typeof block.name === 'string' && block.name.trim() !== '')
				.map((block) => [String(block.name).trim(), String(block.content ?? '')]),
		),
		workspaceBlocks: evaluated.workspaceContentBlocks === true,
	};
}
