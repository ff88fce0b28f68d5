/** What the operations have in common: the plan of one item, the per-execution context, the operation names. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { UsersTrackBody } from '../../shared/braze/users-track';
import { LIQUID_EDITOR, LIQUID_RULE_HINT } from '../../shared/liquid-fields/editor';
import type { EndpointEntry, EndpointOperation } from '../endpoints/spec';

/** What one item asks for: /users/track objects, an entry for another endpoint, or a Liquid `abort_message`. */
export type ItemPlan =
	| { kind: 'objects'; objects: UsersTrackBody }
	| { kind: 'entry'; entry: EndpointEntry }
	| { kind: 'aborted'; reason?: string };

/** Per-execution things operations share ("now", whose data an item is rendered with). */
export interface PlanContext {
	now: Date;
	/** Whether the run only shows its requests (a dry run needs no delete confirmation). */
	dryRun?: boolean;
	/** The user an item's Liquid is rendered as: the item itself, or a dry run's custom user. */
	userOf: (itemIndex: number) => IDataObject;
}

export type Operation = 'customRequestBody' | 'incrementCustomAttribute' | 'trackUser' | EndpointOperation;

/** A required Braze Liquid text field, shown for the given operations. */
export const liquidField = (displayName: string, name: string, operations: string[], extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	typeOptions: LIQUID_EDITOR,
	hint: LIQUID_RULE_HINT,
	required: true,
	default: '',
	displayOptions: { show: { operation: operations } },
	...extra,
});
