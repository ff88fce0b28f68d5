/**
 * One node run's Liquid network: Content Blocks loaded before anything compiles, then (only when a
 * field fetches) the items prepared ahead with bounded concurrency through one delivery session.
 * Nodes whose parameters have no network tag never build one: their path stays synchronous.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { DeliverySession, mapWithConcurrency, readDeliverySettings } from '../delivery';
import { contentBlockNames, type ContentBlockLookup } from '../liquid';
import { BrazeWorkspace } from './braze-workspace';
import { namedCredentialSecrets, parseNamedCredentials, type NamedCredential } from './named-credentials';
import { NetworkRenders, parametersFetch } from './network-renders';
import { NodeNetwork, type CallLog } from './node-network';
import { CONNECTED_CONTENT_CREDENTIAL, readConnectedContentSettings, type ConnectedContentSettings } from './parameters';

export interface LiquidNetworkRunOptions {
	dryRun: boolean;
	/** Throws when the URL's host is outside the node's Allowed Hosts. */
	checkHost: (url: URL) => void;
	/** Requests in flight at once (the node's concurrency). */
	concurrency: number;
}

export class LiquidNetworkRun {
	readonly renders: NetworkRenders;
	private readonly session: DeliverySession;
	private readonly network: NodeNetwork;

	private constructor(
		ctx: IExecuteFunctions,
		options: LiquidNetworkRunOptions,
		settings: ConnectedContentSettings,
		workspace: BrazeWorkspace,
		readonly contentBlocks: ContentBlockLookup,
		private readonly credentials: Map<string, NamedCredential> | undefined,
	) {
		const delivery = { ...readDeliverySettings(ctx), timeoutMs: settings.timeoutMs, followRedirects: false, reuseConnections: false };
		this.session = new DeliverySession(ctx, delivery, { maxConcurrentRequests: options.concurrency });
		this.network = new NodeNetwork(ctx, this.session, {
			settings,
			checkHost: options.checkHost,
			credentials: async () => credentials,
			catalogItems: async (catalog, ids) => await workspace.catalogItems(catalog, ids),
			dryRun: options.dryRun,
		});
		this.renders = new NetworkRenders((itemIndex) => this.network.forItem(itemIndex));
	}

	/** undefined when no parameter of the node has a network tag or a Content Block. */
	static async start(ctx: IExecuteFunctions, options: LiquidNetworkRunOptions): Promise<LiquidNetworkRun | undefined> {
		const parameters = ctx.getNode().parameters;
		if (!parametersFetch(parameters)) return undefined;
		const settings = readConnectedContentSettings(ctx);
		const workspace = new BrazeWorkspace(ctx);
		const blocks = await loadContentBlocks(JSON.stringify(parameters), settings, workspace);
		const credentials = await readNamedCredentials(ctx);
		return new LiquidNetworkRun(ctx, options, settings, workspace, (name) => blocks.get(name), credentials);
	}

	/** The named credentials' secret values, to keep out of every output. */
	get secrets(): string[] {
		return this.credentials ? namedCredentialSecrets(this.credentials) : [];
	}

	/** Prepares every item ahead so that its fields that fetch have their results when rendered for real. */
	async prepareAhead(itemIndexes: number[], concurrency: number, prepare: (itemIndex: number) => unknown): Promise<void> {
		try {
			await mapWithConcurrency(itemIndexes, concurrency, async (itemIndex) => {
				await this.renders.prepareAhead(() => prepare(itemIndex));
			});
		} finally {
			this.session.finish();
		}
	}

	/** What an item's connected_content calls returned, for its dry-run output. */
	callsOf(itemIndex: number): CallLog[] | undefined {
		return this.network.callsOf(itemIndex);
	}
}

async function readNamedCredentials(ctx: IExecuteFunctions): Promise<Map<string, NamedCredential> | undefined> {
	let credentials: { secrets?: unknown } | undefined;
	try {
		credentials = await ctx.getCredentials<{ secrets?: unknown }>(CONNECTED_CONTENT_CREDENTIAL);
	} catch {
		return undefined;
	}
	if (!credentials) return undefined;
	try {
		return parseNamedCredentials(String(credentials.secrets ?? ''));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}

/** The blocks the parameters refer to (and the blocks those refer to): the node's own first, then Braze's. */
async function loadContentBlocks(
	text: string,
	settings: ConnectedContentSettings,
	workspace: BrazeWorkspace,
): Promise<Map<string, string>> {
	const blocks = new Map(settings.localBlocks);
	let wanted = contentBlockNames(text);
	for (let level = 0; level < 2 && wanted.length > 0; level++) {
		const next: string[] = [];
		for (const name of new Set(wanted)) {
			let content = blocks.get(name);
			if (content === undefined && settings.workspaceBlocks) {
				content = await workspace.contentBlock(name);
				if (content !== undefined) blocks.set(name, content);
			}
			if (content !== undefined) next.push(...contentBlockNames(content));
		}
		wanted = next;
	}
	return blocks;
}
