/**
 * Braze to Braze's Liquid fields (identifiers, string attribute values): read as the user wrote them,
 * n8n's `{{ $… }}` evaluated for the item, then rendered as Braze Liquid with the item as the user.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildUserScope } from '../shared/braze/user-scope';
import type { BrazeLiquid } from '../shared/liquid';
import type { NetworkRenders } from '../shared/liquid-network/network-renders';
import type { LiquidFieldText } from '../shared/liquid-fields/field-text';
import { ItemLiquidText, readLiquidField } from '../shared/n8n/liquid-parameters';
import { ItemAborted } from './values';

export class LiquidValues {
	private readonly fields = new Map<string, LiquidFieldText>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly liquid: BrazeLiquid,
		private readonly userOf: (itemIndex: number) => IDataObject,
		private readonly renders?: NetworkRenders,
	) {}

	/** A field's value for one item; `path` is the parameter path, `label` the name errors give it. */
	read(path: string, label: string, itemIndex: number): string {
		let field = this.fields.get(path);
		if (!field) {
			field = readLiquidField(this.ctx, path, label);
			this.fields.set(path, field);
		}
		return this.render(field, itemIndex);
	}

	private render(field: LiquidFieldText, itemIndex: number): string {
		const text = new ItemLiquidText(this.ctx, itemIndex);
		try {
			const template = this.liquid.compile(text.text(field), field.field);
			if (template.isStatic) return template.source;
			const scope = buildUserScope(this.userOf(itemIndex));
			const result = this.renders ? this.renders.render(template, scope, itemIndex) : template.render(scope);
			if (result.kind === 'output') return result.output;
			if (result.kind === 'error') throw result.error;
			throw new ItemAborted(result.reason);
		} catch (error) {
			throw text.locate(error);
		}
	}
}
