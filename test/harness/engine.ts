/**
 * Runs this package's nodes inside n8n-core's real WorkflowExecute: real parameter and expression
 * resolution, credentials applied the way n8n's CLI applies them, and workflow static data saved
 * between executions under the same rule n8n uses (only for non-manual executions that changed it).
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
	type ICredentials,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { BrazeApi } from '../../credentials/BrazeApi.credentials';
import { BrazeWebhookAuthApi } from '../../credentials/BrazeWebhookAuthApi.credentials';
import { BrazeToBraze } from '../../nodes/BrazeToBraze/BrazeToBraze.node';
import { BrazeWebhook } from '../../nodes/BrazeWebhook/BrazeWebhook.node';

export const PACKAGE = 'n8n-nodes-braze-webhooks';
export const WEBHOOK_TYPE = `${PACKAGE}.brazeWebhook`;
export const BRAZE_TO_BRAZE_TYPE = `${PACKAGE}.brazeToBraze`;

/** Feeds the test's items to the node under test, so it runs with a real upstream source. */
class InputNode implements INodeType {
	description = {
		displayName: 'Input',
		name: 'input',
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}

const INPUT_TYPE = 'n8n-nodes-braze-webhooks-test.input';

const nodeRegistry: Record<string, INodeType | IVersionedNodeType> = {
	[INPUT_TYPE]: new InputNode(),
	[WEBHOOK_TYPE]: new BrazeWebhook(),
	[BRAZE_TO_BRAZE_TYPE]: new BrazeToBraze(),
};

const credentialRegistry: Record<string, ICredentialType> = {
	brazeApi: new BrazeApi(),
	brazeWebhookAuthApi: new BrazeWebhookAuthApi(),
};

/** Lets a test add a node type of its own (for example a probe node) to the registry. */
export function registerNodeType(type: string, nodeType: INodeType): void {
	nodeRegistry[type] = nodeType;
}

export function getCredentialType(name: string): ICredentialType {
	const type = credentialRegistry[name];
	if (!type) throw new Error(`Unknown credential type ${name}`);
	return type;
}

const nodeTypes: INodeTypes = {
	getByName: (type) => nodeRegistry[type],
	getByNameAndVersion: (type, version) => {
		const nodeType = nodeRegistry[type];
		if (!nodeType) throw new Error(`Unrecognized node type: ${type}`);
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	},
	getKnownTypes: () => ({}),
};

/** Credentials the test provides, by credential type; ids in workflow JSON are ignored. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

/** n8n's CLI CredentialsHelper as far as these tests need it: test credentials, CLI-style authenticate. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: TestCredentials) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** The CLI's CredentialsHelper.authenticate: function-style, or generic with `$credentials` expressions. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const { authenticate } = getCredentialType(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) throw new Error('Workflow and node are required for generic authentication');
			requestOptions.headers ??= {};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
					target[outerKey] ??= {};
					target[outerKey][resolve(key, credentials, workflow, node)] = resolve(
						value,
						credentials,
						workflow,
						node,
					);
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return getCredentialType(type).properties;
	}
}

function resolve(
	value: string,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? String(resolved) : '';
}

export interface NodeSpec {
	name?: string;
	type?: string;
	typeVersion?: number;
	parameters: INodeParameters;
	credentials?: INode['credentials'];
	onError?: INode['onError'];
	continueOnFail?: boolean;
	alwaysOutputData?: boolean;
}

export interface ExecutionResult {
	run: IRun;
	/** The node's outputs of its first run, one array per output connection. */
	outputs: INodeExecutionData[][];
	/** All nodes' outputs, by node name. */
	outputsOf: (nodeName: string) => INodeExecutionData[][];
	/** The error that stopped the execution, if any. */
	error?: Error & { description?: string; context?: IDataObject };
	/** Execution hints the nodes added. */
	hints: Array<{ message: string }>;
	/** The static data the engine handed to the save hook (only when a node changed it). */
	newStaticData?: IDataObject;
}

export interface ExecuteOptions {
	mode?: WorkflowExecuteMode;
	credentials?: TestCredentials;
	/** Carries workflow static data across executions, as n8n's database does. */
	staticData?: StaticDataStore;
	workflowId?: string;
	/** Called once the engine has started; lets a test cancel the execution. */
	onStart?: (cancel: () => void) => void;
	/** Extra nodes downstream of the node under test, with their connections. */
	downstream?: { nodes: INode[]; connections: Workflow['connectionsBySourceNode'] };
}

/** Workflow static data as n8n's database keeps it between executions of one workflow. */
export class StaticDataStore {
	saved: IDataObject = {};
	saves = 0;

	/** n8n's CLI saves static data only for non-manual executions in which a node changed it. */
	save(mode: WorkflowExecuteMode, newStaticData: IDataObject | undefined): void {
		if (mode === 'manual' || !newStaticData) return;
		this.saved = JSON.parse(JSON.stringify(newStaticData)) as IDataObject;
		this.saves++;
	}

	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.saved)) as IDataObject;
	}
}

let executionCounter = 0;

/** Runs one node of this package on the given input items, inside a real WorkflowExecute. */
export async function executeNode(
	spec: NodeSpec,
	items: INodeExecutionData[] | IDataObject[],
	options: ExecuteOptions = {},
): Promise<ExecutionResult> {
	const mode = options.mode ?? 'manual';
	const nodeName = spec.name ?? 'Node Under Test';
	const node: INode = {
		id: `node-${nodeName}`,
		name: nodeName,
		type: spec.type ?? WEBHOOK_TYPE,
		typeVersion: spec.typeVersion ?? 1,
		position: [0, 0],
		parameters: spec.parameters,
		credentials: spec.credentials,
		onError: spec.onError,
		continueOnFail: spec.continueOnFail,
		alwaysOutputData: spec.alwaysOutputData,
	};
	const inputNode: INode = {
		id: 'node-input',
		name: 'Input',
		type: INPUT_TYPE,
		typeVersion: 1,
		position: [-200, 0],
		parameters: {},
	};
	const nodes = [inputNode, node, ...(options.downstream?.nodes ?? [])];
	const connections = {
		Input: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
		...(options.downstream?.connections ?? {}),
	} as Workflow['connectionsBySourceNode'];
	const workflowId = options.workflowId ?? 'BrazeTestWf00001';
	const staticData = options.staticData?.load() ?? {};
	const workflow = new Workflow({
		id: workflowId,
		name: 'Braze test workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData,
		settings: { executionOrder: 'v1' },
	});

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'Braze test workflow',
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
		staticData,
	});
	let newStaticData: IDataObject | undefined;
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run, changed) => {
		finished = run;
		newStaticData = changed;
		options.staticData?.save(mode, changed);
	});

	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}),
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: '',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: '',
		formWaitingBaseUrl: '',
		formTestBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		mcpBaseUrl: '',
		mcpTestBaseUrl: '',
		workflowId,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;

	const inputItems: INodeExecutionData[] = (items as Array<INodeExecutionData | IDataObject>).map(
		(item, index) =>
			isExecutionData(item)
				? { pairedItem: { item: index }, ...item }
				: { json: item, pairedItem: { item: index } },
	);
	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: inputNode, data: { main: [inputItems] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	} as unknown as IRunExecutionData;

	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	options.onStart?.(() => running.cancel());
	let run: IRun;
	try {
		run = await running;
	} catch (error) {
		if (!finished) throw error;
		run = finished;
	}

	const outputsOf = (name: string) =>
		(run.data.resultData.runData[name]?.[0]?.data?.main ?? []).map((output) => output ?? []);
	return {
		run,
		outputs: outputsOf(nodeName),
		outputsOf,
		error: run.data.resultData.error as ExecutionResult['error'],
		hints: (run.data.resultData.runData[nodeName]?.[0]?.hints ?? []) as Array<{ message: string }>,
		newStaticData,
	};
}

function isExecutionData(item: INodeExecutionData | IDataObject): item is INodeExecutionData {
	return typeof item === 'object' && item !== null && 'json' in item && typeof item.json === 'object';
}
