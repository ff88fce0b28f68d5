/** What the operations have in common: the plan of one item, the per-execution context, the operation names. */
import type { IDataObject } from 'n8n-workflow';

import type { UsersTrackBody } from '../../shared/braze/users-track';

/** What one item asks for: objects to send, or a Liquid `abort_message`. */
export type ItemPlan = { kind: 'objects'; objects: UsersTrackBody } | { kind: 'aborted'; reason?: string };

/** Per-execution things operations share ("now", whose data an item is rendered with). */
export interface PlanContext {
	now: Date;
	/** The user an item's Liquid is rendered as: the item itself, or a dry run's custom user. */
	userOf: (itemIndex: number) => IDataObject;
}

export type Operation = 'customRequestBody' | 'incrementCustomAttribute' | 'trackUser';
