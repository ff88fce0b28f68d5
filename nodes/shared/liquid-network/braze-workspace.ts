/**
 * Content Blocks and catalog items from the Braze workspace of the node's Braze API credential,
 * each fetched once per execution (`/content_blocks/list` then `/content_blocks/info`,
 * `/catalogs/{catalog}/items/{id}`). Errors name what to fix: the workspace, the key's permission.
 */
import { NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { brazeBaseUrl } from '../braze/instances';

export const BRAZE_API_CREDENTIAL = 'brazeApi';

interface Answer {
	statusCode: number;
	body: unknown;
}

export class BrazeWorkspace {
	private baseUrl?: Promise<string>;
	private blockIds?: Promise<Map<string, string>>;
	private readonly blocks = new Map<string, Promise<string | undefined>>();
	private readonly items = new Map<string, Promise<unknown>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** A block's Liquid by name, undefined when the workspace has no such block. */
	async contentBlock(name: string): Promise<string | undefined> {
		let pending = this.blocks.get(name);
		if (!pending) this.blocks.set(name, (pending = this.fetchBlock(name)));
		return await pending;
	}

	/** The items of a catalog by id, in the order asked; unknown ids are left out (Braze gives an empty list). */
	async catalogItems(catalog: string, ids: string[]): Promise<unknown[]> {
		const found = await Promise.all(
			ids.map(async (id) => {
				const key = `${catalog}\u0000${id}`;
				let pending = this.items.get(key);
				if (!pending) this.items.set(key, (pending = this.fetchItem(catalog, id)));
				return await pending;
			}),
		);
		return found.filter((item) => item !== undefined);
	}

	private async fetchBlock(name: string): Promise<string | undefined> {
		const id = (await (this.blockIds ??= this.listBlocks())).get(name);
		if (id === undefined) return undefined;
		const answer = await this.get(`/content_blocks/info?content_block_id=${encodeURIComponent(id)}`, 'content_blocks.info');
		const content = (answer.body as { content?: unknown }).content;
		return typeof content === 'string' ? content : '';
	}

	private async listBlocks(): Promise<Map<string, string>> {
		const ids = new Map<string, string>();
		// Braze rejects offset=0: the first page is asked without an offset.
		for (let page = 0; page < 50; page++) {
			const answer = await this.get(`/content_blocks/list?limit=1000${page > 0 ? `&offset=${page * 1000}` : ''}`, 'content_blocks.list');
			const blocks = ((answer.body as { content_blocks?: unknown }).content_blocks ?? []) as Array<{ name?: unknown; content_block_id?: unknown }>;
			for (const block of blocks) if (typeof block.name === 'string') ids.set(block.name, String(block.content_block_id));
			if (blocks.length < 1000) break;
		}
		return ids;
	}

	private async fetchItem(catalog: string, id: string): Promise<unknown> {
		const path = `/catalogs/${encodeURIComponent(catalog)}/items/${encodeURIComponent(id)}`;
		const answer = await this.get(path, 'catalogs.get_item', true);
		if (answer.statusCode === 404) return undefined;
		const items = (answer.body as { items?: unknown[] }).items;
		return Array.isArray(items) ? items[0] : undefined;
	}

	private async get(path: string, permission: string, notFoundIsAnswer = false): Promise<Answer> {
		const base = await (this.baseUrl ??= this.readBaseUrl());
		const options: IHttpRequestOptions = {
			url: `${base}${path}`,
			method: 'GET',
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
		};
		let answer: Answer;
		try {
			answer = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, BRAZE_API_CREDENTIAL, options)) as Answer;
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			throw new NodeOperationError(this.ctx.getNode(), `Could not reach the Braze workspace at ${base} (${typeof code === 'string' ? code : 'no answer'}) for ${permission.split('.')[0]}`);
		}
		if (answer.statusCode === 401) {
			throw new NodeOperationError(this.ctx.getNode(), `Braze rejected the API key of the Braze API credential (HTTP 401) while reading ${permission.split('.')[0]}`);
		}
		if (answer.statusCode === 403) {
			throw new NodeOperationError(this.ctx.getNode(), `The Braze API key lacks the ${permission} permission (HTTP 403): add it to the key in Braze (Settings > APIs and Identifiers)`);
		}
		if (answer.statusCode === 404 && notFoundIsAnswer) return answer;
		if (answer.statusCode < 200 || answer.statusCode >= 300) {
			throw new NodeOperationError(this.ctx.getNode(), `The Braze workspace answered HTTP ${answer.statusCode} to ${path.split('?')[0]}`);
		}
		if (typeof answer.body === 'string') {
			try {
				answer = { ...answer, body: JSON.parse(answer.body) as unknown };
			} catch {
				answer = { ...answer, body: {} };
			}
		}
		return answer;
	}

	private async readBaseUrl(): Promise<string> {
		let credentials;
		try {
			credentials = await this.ctx.getCredentials<{ instance?: unknown; customUrl?: unknown }>(BRAZE_API_CREDENTIAL);
		} catch {
			throw new NodeOperationError(
				this.ctx.getNode(),
				'Content Blocks from Braze and catalog_items need a Braze API credential on this node',
			);
		}
		return brazeBaseUrl(credentials);
	}
}
