/**
 * Lets the nodes' synchronous per-item code render Liquid that fetches. Before the items are
 * prepared for real, each is prepared once ahead: a field that fetches renders asynchronously and
 * its result is kept; the synchronous pass then finds every such result ready. A template without
 * network tags is rendered synchronously as before and nothing is kept for it.
 */
import type { CompiledTemplate, LiquidNetwork, LiquidScope, RenderResult } from '../liquid';

class NeedsNetwork {
	constructor(readonly ready: Promise<void>) {}
}

/** Safety bound on the fields one item may fetch in before its preparation gives up waiting. */
const MAX_FETCHING_FIELDS = 200;

export class NetworkRenders {
	private readonly results = new Map<string, RenderResult>();

	constructor(private readonly networkFor: (itemIndex: number) => LiquidNetwork) {}

	/** A field's result: rendered now, or kept from the item's preparation ahead. */
	render(template: CompiledTemplate, scope: LiquidScope, itemIndex: number): RenderResult {
		if (!template.usesNetwork) return template.render(scope);
		const key = `${itemIndex}\u0000${template.field}\u0000${template.source}`;
		const kept = this.results.get(key);
		if (kept) return kept;
		const ready = template.renderAsync(scope, this.networkFor(itemIndex)).then((result) => {
			this.results.set(key, result);
		});
		throw new NeedsNetwork(ready);
	}

	/**
	 * Runs `prepare` until no field it renders still has to fetch; what else it throws is left for
	 * the synchronous pass (which throws it again where the item's failure is handled).
	 */
	async prepareAhead(prepare: () => unknown): Promise<void> {
		for (let round = 0; round < MAX_FETCHING_FIELDS; round++) {
			try {
				prepare();
				return;
			} catch (error) {
				if (!(error instanceof NeedsNetwork)) return;
				await error.ready;
			}
		}
	}
}

/** Whether the node's saved parameters have a tag that fetches: only then are items prepared ahead. */
export function parametersFetch(parameters: unknown): boolean {
	return /connected_content|catalog_items|content_blocks/.test(JSON.stringify(parameters ?? {}));
}
