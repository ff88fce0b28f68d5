/** What the operations have in common: the plan of one item, the per-execution context, the operation names. */
import type { UsersTrackBody } from '../../shared/braze/users-track';

/** What one item asks for: objects to send, or a Liquid `abort_message`. */
export type ItemPlan = { kind: 'objects'; objects: UsersTrackBody } | { kind: 'aborted'; reason?: string };

/** Per-execution things operations share ("now"). */
export interface PlanContext {
	now: Date;
}

export type Operation = 'customRequestBody' | 'incrementCustomAttribute' | 'trackUser';
