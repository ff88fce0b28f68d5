/**
 * Turns each input item into its plan (objects to send, or an abort) with the chosen operation.
 * Build problems become ItemInputError / LiquidTemplateError, which the caller turns into failed items.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { BrazeLiquid, type CompiledTemplate } from '../../shared/liquid';
import type { ItemPlan, Operation, PlanContext } from './common';
import { ItemLiquidText, readLiquidField } from '../../shared/n8n/liquid-parameters';
import { BODY_FIELD, compileCustomBody, renderCustomBody } from './customRequestBody';
import { LiquidValues } from '../liquid-values';
import { readIdentity } from './identity';
import { planIncrement } from './incrementCustomAttribute';
import { planTrackUser } from './trackUser';

export type Planner = (itemIndex: number) => ItemPlan;

/** Prepares what every item of the execution shares (a compiled template) and returns the planner. */
export function createPlanner(ctx: IExecuteFunctions, operation: Operation, shared: PlanContext): Planner {
	if (operation === 'customRequestBody') {
		const body = readLiquidField(ctx, 'body', BODY_FIELD);
		const liquid = new BrazeLiquid({ timezone: ctx.getTimezone() });
		if (body.isSameForEveryItem) {
			const template: CompiledTemplate = compileCustomBody(liquid, body.source);
			return (itemIndex) => renderCustomBody(template, shared.userOf(itemIndex));
		}
		return (itemIndex) => {
			const text = new ItemLiquidText(ctx, itemIndex);
			try {
				return renderCustomBody(compileCustomBody(liquid, text.text(body)), shared.userOf(itemIndex), (e) => text.locate(e));
			} catch (error) {
				throw text.locate(error);
			}
		};
	}
	const values = new LiquidValues(ctx, shared.userOf);
	if (operation === 'incrementCustomAttribute') {
		return (itemIndex) => planIncrement(ctx, itemIndex, readIdentity(ctx, values, itemIndex));
	}
	if (operation === 'trackUser') {
		return (itemIndex) => planTrackUser(ctx, itemIndex, readIdentity(ctx, values, itemIndex), values, shared);
	}
	throw new RangeError(`Unknown operation "${String(operation)}"`);
}
