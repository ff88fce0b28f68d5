/**
 * The Idempotency Key option: a header whose value names one logical delivery of an item, the same
 * on every attempt (the node's own retries, n8n's Retry On Fail, and an item that comes back deferred
 * through a Wait node), so a receiver can drop the duplicates an at-least-once sender may produce.
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIQUID_EDITOR } from '../liquid-fields/editor';
import { runIndexOf } from './earlier-tries';
import { DELIVERY_KEY } from './item-results';

export const DEFAULT_IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_FIELD = 'Idempotency Key';

export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'fixedCollection',
	default: { key: {} },
	description:
		'Whether to add a header whose value is the same on every attempt of an item (this node\'s retries, n8n\'s Retry On Fail, and a deferred item sent again), so the receiver can drop duplicates',
	options: [
		{
			displayName: 'Key',
			name: 'key',
			values: [
				{
					displayName: 'Header Name',
					name: 'headerName',
					type: 'string',
					default: DEFAULT_IDEMPOTENCY_HEADER,
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					typeOptions: LIQUID_EDITOR,
					default: '',
					placeholder: '{{${user_id}}}-welcome-offer',
					description:
						'Braze Liquid rendered per item. Empty: a hash of the execution, the node and the item. A deferred item keeps its key in delivery.idempotencyKey and reuses it when it comes back.',
				},
			],
		},
	],
};

export interface IdempotencyKeySetting {
	headerName: string;
	/** Liquid; empty for the computed key. */
	template: string;
}

/** The option as set in the node's Options collection; undefined when it is not added. */
export function readIdempotencyKeySetting(options: IDataObject): IdempotencyKeySetting | undefined {
	const option = options.idempotencyKey as IDataObject | undefined;
	if (!option || typeof option !== 'object') return undefined;
	const key = (option.key ?? {}) as IDataObject;
	const headerName = String(key.headerName ?? '').trim();
	return {
		headerName: headerName === '' ? DEFAULT_IDEMPOTENCY_HEADER : headerName,
		template: String(key.value ?? ''),
	};
}

/**
 * The key an input item carries from an earlier delivery by this kind of node that did not go
 * through (deferred or failed): the same logical delivery, sent again. A sent item's key is not
 * reused, so a second webhook node after the first makes its own keys.
 */
export function carriedIdempotencyKey(json: IDataObject): string | undefined {
	const delivery = json[DELIVERY_KEY] as IDataObject | undefined;
	if (!delivery || typeof delivery !== 'object') return undefined;
	if (delivery.status !== 'deferred' && delivery.status !== 'failed') return undefined;
	const key = delivery.idempotencyKey;
	return typeof key === 'string' && key.trim() !== '' ? key : undefined;
}

/**
 * The computed key of each item of this node run: a hash of the n8n instance, workflow, execution,
 * node, run index and item index, shaped as a UUID (version 8). n8n's tries of one run share all of
 * them; a later run of the node in the same execution (a loop) gets new keys.
 */
export function computedIdempotencyKeys(ctx: IExecuteFunctions): (itemIndex: number) => string {
	const prefix = [
		instanceIdOf(ctx),
		ctx.getWorkflow().id ?? '',
		ctx.getExecutionId() ?? '',
		ctx.getNode().id,
		String(runIndexOf(ctx)),
	].join('\u0000');
	return (itemIndex) => {
		const hex = createHash('sha256').update(`${prefix}\u0000${itemIndex}`).digest('hex');
		const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	};
}

function instanceIdOf(ctx: IExecuteFunctions): string {
	try {
		return ctx.getInstanceId() ?? '';
	} catch {
		// Outside a full n8n (no instance settings) the other parts still make the key unique enough.
		return '';
	}
}
