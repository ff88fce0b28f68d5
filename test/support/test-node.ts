/**
 * Node types that exist only in the tests (the harness's Input node, probes): one description shape,
 * one type-name prefix, so a test states only its node's name, properties and `execute`.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/** The package name of every test-only node type. */
export const TEST_NODE_PACKAGE = 'n8n-nodes-braze-webhooks-test';

export interface TestNodeDefinition {
	/** The node's name; its type is `${TEST_NODE_PACKAGE}.${name}`. */
	name: string;
	displayName: string;
	description: string;
	/** Default: transform. */
	group?: INodeTypeDescription['group'];
	/** Credential types the node may use (none required). */
	credentials?: string[];
	properties?: INodeProperties[];
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;
}

/** A test-only node type and the type name a workflow refers to it by. */
export interface TestNode {
	type: string;
	nodeType: INodeType;
}

export function defineTestNode(definition: TestNodeDefinition): TestNode {
	const description: INodeTypeDescription = {
		displayName: definition.displayName,
		name: definition.name,
		group: definition.group ?? ['transform'],
		version: 1,
		description: definition.description,
		defaults: { name: definition.displayName },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		...(definition.credentials
			? { credentials: definition.credentials.map((name) => ({ name, required: false })) }
			: {}),
		properties: definition.properties ?? [],
	};
	return {
		type: `${TEST_NODE_PACKAGE}.${definition.name}`,
		nodeType: { description, execute: definition.execute },
	};
}
