/**
 * The top-level Mode of both nodes from version 2 on: Send, or Dry Run, which shows the rendered
 * requests of a few items (the first N, one chosen item, or a user typed as JSON) without sending.
 * Version 1 kept Dry Run in Options (`options.dryRun`), previewing every item; it is still read so.
 */
import { jsonParse, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { DeliveryJson } from './item-results';

export const DEFAULT_PREVIEW_COUNT = 5;

const EXAMPLE_USER = '{\n  "external_id": "user-1",\n  "first_name": "Ada",\n  "custom_attributes": { "plan": "gold" }\n}';

const showInDryRun = { show: { mode: ['dryRun'] } };

/** Mode and its preview choices; the node puts them first, where a template author looks. */
export function runModeProperties(sendDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Dry Run',
					value: 'dryRun',
					description: 'Render the requests and show them, secrets hidden, without sending anything',
				},
				{ name: 'Send', value: 'send', description: sendDescription },
			],
			default: 'send',
		},
		{
			displayName: 'Preview',
			name: 'preview',
			type: 'options',
			noDataExpression: true,
			displayOptions: showInDryRun,
			options: [
				{
					name: 'Custom User (JSON)',
					value: 'customUser',
					description: 'A user you type as JSON, like one input item, rendered in place of the first item',
				},
				{ name: 'First Items', value: 'firstItems', description: 'The first input items, as many as you choose' },
				{ name: 'One Item', value: 'oneItem', description: 'The input item at the position you choose' },
			],
			default: 'firstItems',
		},
		{
			displayName: 'Number of Items',
			name: 'previewCount',
			type: 'number',
			typeOptions: { minValue: 1 },
			displayOptions: { show: { ...showInDryRun.show, preview: ['firstItems'] } },
			default: DEFAULT_PREVIEW_COUNT,
			description: 'How many items, from the first, to render; the others come out marked as not previewed',
		},
		{
			displayName: 'Item Index',
			name: 'previewItemIndex',
			type: 'number',
			typeOptions: { minValue: 0 },
			displayOptions: { show: { ...showInDryRun.show, preview: ['oneItem'] } },
			default: 0,
			description: "The item's position in the input, counted from 0 as n8n's [item 0] does",
		},
		{
			displayName: 'Custom User (JSON)',
			name: 'previewUser',
			type: 'json',
			displayOptions: { show: { ...showInDryRun.show, preview: ['customUser'] } },
			default: EXAMPLE_USER,
			description:
				"The user to render, shaped like an input item: {{${first_name}}} reads first_name, custom_attribute reads custom_attributes. n8n expressions in the fields still read the first input item.",
		},
	];
}

export type Preview =
	| { kind: 'allItems' }
	| { kind: 'firstItems'; count: number }
	| { kind: 'oneItem'; index: number }
	| { kind: 'customUser'; user: IDataObject };

export interface RunMode {
	dryRun: boolean;
	/** Which items a dry run renders; `allItems` for version 1's Dry Run option. */
	preview: Preview;
}

export function readRunMode(ctx: IExecuteFunctions): RunMode {
	if (ctx.getNode().typeVersion < 2) {
		const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
		return { dryRun: options.dryRun === true, preview: { kind: 'allItems' } };
	}
	const mode = ctx.getNodeParameter('mode', 0, 'send') as string;
	if (mode !== 'dryRun') return { dryRun: false, preview: { kind: 'allItems' } };
	return { dryRun: true, preview: readPreview(ctx) };
}

function readPreview(ctx: IExecuteFunctions): Preview {
	const preview = ctx.getNodeParameter('preview', 0, 'firstItems') as string;
	const wholeNumber = (name: string, label: string, fallback: number, min: number) => {
		const value = Number(ctx.getNodeParameter(name, 0, fallback));
		if (!Number.isInteger(value) || value < min) {
			throw new NodeOperationError(ctx.getNode(), `${label} must be a whole number from ${min}`, { itemIndex: 0 });
		}
		return value;
	};
	if (preview === 'oneItem') return { kind: 'oneItem', index: wholeNumber('previewItemIndex', 'Item Index', 0, 0) };
	if (preview === 'customUser') return { kind: 'customUser', user: readCustomUser(ctx) };
	return { kind: 'firstItems', count: wholeNumber('previewCount', 'Number of Items', DEFAULT_PREVIEW_COUNT, 1) };
}

function readCustomUser(ctx: IExecuteFunctions): IDataObject {
	const value = ctx.getNodeParameter('previewUser', 0, '{}') as unknown;
	let user = value;
	if (typeof value === 'string') {
		try {
			user = jsonParse<unknown>(value.trim() || '{}');
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Custom User (JSON) is not valid JSON: ${(error as Error).message}`, {
				itemIndex: 0,
			});
		}
	}
	if (user === null || typeof user !== 'object' || Array.isArray(user)) {
		throw new NodeOperationError(ctx.getNode(), 'Custom User (JSON) must be one JSON object, like one input item', {
			itemIndex: 0,
		});
	}
	return user as IDataObject;
}

/** Which input items a dry run renders, and the user each one is rendered as. */
export class PreviewSelection {
	constructor(
		private readonly preview: Preview,
		private readonly itemCount: number,
	) {}

	includes(itemIndex: number): boolean {
		switch (this.preview.kind) {
			case 'allItems':
				return true;
			case 'firstItems':
				return itemIndex < this.preview.count;
			case 'oneItem':
				return itemIndex === this.preview.index;
			case 'customUser':
				return itemIndex === 0;
		}
	}

	/** The user an item is rendered as: the custom user replaces the first item's fields. */
	userOf(itemIndex: number, json: IDataObject): IDataObject {
		return this.preview.kind === 'customUser' && itemIndex === 0 ? this.preview.user : json;
	}

	/** Marks the previewed item of a custom-user preview, so the output says whose request it shows. */
	annotate(itemIndex: number, delivery: DeliveryJson): DeliveryJson {
		return this.preview.kind === 'customUser' && itemIndex === 0 ? { ...delivery, renderedFor: 'customUser' } : delivery;
	}

	/** The outcome of an item a dry run did not render: accounted for, nothing sent. */
	notPreviewed(): DeliveryJson {
		return { status: 'dryRun', previewed: false, note: this.reason() };
	}

	/** An Item Index past the end previews nothing; say so rather than show only skipped items. */
	problem(): string | undefined {
		if (this.preview.kind === 'oneItem' && this.preview.index >= this.itemCount) {
			return `Item Index ${this.preview.index} is past the last input item (the input has ${this.itemCount}, counted from 0)`;
		}
		return undefined;
	}

	private reason(): string {
		switch (this.preview.kind) {
			case 'firstItems':
				return `Not rendered: Dry Run previews the first ${this.preview.count} item${this.preview.count === 1 ? '' : 's'}`;
			case 'oneItem':
				return `Not rendered: Dry Run previews item ${this.preview.index} only`;
			default:
				return 'Not rendered: Dry Run previews the custom user only';
		}
	}
}
