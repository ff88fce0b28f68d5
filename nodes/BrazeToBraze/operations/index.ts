/**
 * Turns each input item into its plan (objects to send, or an abort) with the chosen operation.
 * Build problems become ItemInputError / LiquidTemplateError, which the caller turns into failed items.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { BrazeLiquid, type CompiledTemplate, type LiquidScope } from '../../shared/liquid';
import type { LiquidNetworkRun } from '../../shared/liquid-network/liquid-network-run';
import type { ItemPlan, Operation, PlanContext } from './common';
import { ItemLiquidText, readLiquidField } from '../../shared/n8n/liquid-parameters';
import { BODY_FIELD, compileCustomBody, renderCustomBody } from './customRequestBody';
import { LiquidValues } from '../liquid-values';
import { readIdentity } from './identity';
import { planIncrement } from './incrementCustomAttribute';
import { planTrackUser } from './trackUser';
import { checkBroadcastGuard, planTriggerMessage } from './triggerMessage';
import { checkDeleteGuard, planUserManagement } from './userManagement';

export type Planner = (itemIndex: number) => ItemPlan;

/** Prepares what every item of the execution shares (a compiled template) and returns the planner. */
export function createPlanner(
	ctx: IExecuteFunctions,
	operation: Operation,
	shared: PlanContext,
	network?: LiquidNetworkRun,
): Planner {
	const liquid = new BrazeLiquid({ timezone: ctx.getTimezone(), contentBlocks: network?.contentBlocks });
	const renderer = (itemIndex: number) =>
		network ? (template: CompiledTemplate, scope: LiquidScope) => network.renders.render(template, scope, itemIndex) : undefined;
	if (operation === 'customRequestBody') {
		const body = readLiquidField(ctx, 'body', BODY_FIELD);
		if (body.isSameForEveryItem) {
			const template: CompiledTemplate = compileCustomBody(liquid, body.source);
			return (itemIndex) => renderCustomBody(template, shared.userOf(itemIndex), undefined, renderer(itemIndex));
		}
		return (itemIndex) => {
			const text = new ItemLiquidText(ctx, itemIndex);
			try {
				const template = compileCustomBody(liquid, text.text(body));
				return renderCustomBody(template, shared.userOf(itemIndex), (e) => text.locate(e), renderer(itemIndex));
			} catch (error) {
				throw text.locate(error);
			}
		};
	}
	const values = new LiquidValues(ctx, liquid, shared.userOf, network?.renders);
	if (operation === 'incrementCustomAttribute') {
		return (itemIndex) => planIncrement(ctx, itemIndex, readIdentity(ctx, values, itemIndex));
	}
	if (operation === 'trackUser') {
		return (itemIndex) => planTrackUser(ctx, itemIndex, readIdentity(ctx, values, itemIndex), values, shared);
	}
	if (operation === 'triggerCanvas' || operation === 'triggerCampaign') {
		checkBroadcastGuard(ctx);
		return (itemIndex) => planTriggerMessage(ctx, operation, itemIndex, values);
	}
	if (
		operation === 'identifyUsers' ||
		operation === 'newUserAlias' ||
		operation === 'mergeUsers' ||
		operation === 'deleteUsers' ||
		operation === 'setSubscriptionStatus'
	) {
		if (operation === 'deleteUsers') checkDeleteGuard(ctx, shared.dryRun === true);
		return (itemIndex) => planUserManagement(ctx, operation, itemIndex, values);
	}
	throw new RangeError(`Unknown operation "${String(operation)}"`);
}
