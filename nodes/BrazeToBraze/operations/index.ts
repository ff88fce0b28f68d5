/**
 * Turns each input item into its plan (objects to send, or an abort) with the chosen operation.
 * Build problems become ItemInputError / LiquidTemplateError, which the caller turns into failed items.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { BrazeLiquid, type CompiledTemplate } from '../../shared/liquid';
import type { ItemPlan, Operation, PlanContext } from './common';
import { compileCustomBody, renderCustomBody } from './customRequestBody';
import { readIdentity } from './identity';
import { planIncrement } from './incrementCustomAttribute';
import { planTrackUser } from './trackUser';

export type Planner = (itemIndex: number) => ItemPlan;

/** Prepares what every item of the execution shares (a compiled template) and returns the planner. */
export function createPlanner(ctx: IExecuteFunctions, operation: Operation, shared: PlanContext): Planner {
	const items = ctx.getInputData();
	if (operation === 'customRequestBody') {
		const source = ctx.getNodeParameter('body', 0) as string;
		const liquid = new BrazeLiquid({ timezone: ctx.getTimezone() });
		const template: CompiledTemplate = compileCustomBody(liquid, source);
		return (itemIndex) => renderCustomBody(template, items[itemIndex].json);
	}
	if (operation === 'incrementCustomAttribute') {
		return (itemIndex) => planIncrement(ctx, itemIndex, readIdentity(ctx, itemIndex));
	}
	if (operation === 'trackUser') {
		return (itemIndex) => planTrackUser(ctx, itemIndex, readIdentity(ctx, itemIndex), shared);
	}
	throw new RangeError(`Unknown operation "${String(operation)}"`);
}
