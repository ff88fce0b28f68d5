/**
 * Runs nodes inside n8n-core's real WorkflowExecute: real parameter and expression resolution,
 * credentials applied the way n8n's CLI applies them, and workflow static data saved between
 * executions under the same rule n8n uses (only for non-manual executions that changed it).
 *
 * The harness takes the package's node and credential classes as parameters: the jest suites pass the
 * TypeScript sources' classes (engine.ts), the bench the built dist/ classes (loaded compiled).
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialType,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { defineTestNode, type TestNode } from '../support/test-node';
import { HarnessCredentialsHelper, type TestCredentials } from './credentials-helper';

export { HarnessCredentialsHelper, type TestCredentials } from './credentials-helper';
export { defineTestNode, TEST_NODE_PACKAGE, type TestNode, type TestNodeDefinition } from '../support/test-node';

export interface HarnessOptions {
	/** The package's name: a node class's type is `${packageName}.${description.name}`. */
	packageName: string;
	nodes: Array<new () => INodeType | IVersionedNodeType>;
	credentials: Array<new () => ICredentialType>;
}

export interface NodeSpec {
	/** A type the harness knows: one of the package's nodes (`harness.types`) or a registered test node. */
	type: string;
	name?: string;
	typeVersion?: number;
	parameters: INodeParameters;
	credentials?: INode['credentials'];
	onError?: INode['onError'];
	continueOnFail?: boolean;
	alwaysOutputData?: boolean;
	/** n8n's Retry On Fail (node Settings): the engine runs the node again after a try that threw. */
	retryOnFail?: boolean;
	maxTries?: number;
	/** n8n treats 0 as its default of 1000 ms. */
	waitBetweenTries?: number;
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
	/** The node's first run's executionTime (ms), as n8n reports it. */
	executionTime?: number;
}

export interface ExecuteOptions {
	/** Default: manual. */
	mode?: WorkflowExecuteMode;
	credentials?: TestCredentials;
	/** Carries workflow static data across executions, as n8n's database does. */
	staticData?: StaticDataStore;
	workflowId?: string;
	/**
	 * What the workflow reports as `active`. Default: true for trigger and webhook runs, which regular
	 * n8n starts only for active workflows (a queue-mode worker reports false: see QueueWorkerStaticData).
	 */
	active?: boolean;
	/** Called once the engine has started; lets a test cancel the execution. */
	onStart?: (cancel: () => void) => void;
	/** Extra nodes downstream of the node under test, with their connections. */
	downstream?: { nodes: INode[]; connections: Workflow['connectionsBySourceNode'] };
}

export interface Harness {
	/** The package's node types by node name (description.name), e.g. types.brazeWebhook. */
	types: Record<string, string>;
	/** Runs one node on the given input items (plain JSON or execution data), inside a real WorkflowExecute. */
	executeNode: (
		spec: NodeSpec,
		items: INodeExecutionData[] | IDataObject[],
		options?: ExecuteOptions,
	) => Promise<ExecutionResult>;
	/** Adds a test-only node type (support/test-node) to this harness. */
	registerNodeType: (node: TestNode) => void;
	getCredentialType: (name: string) => ICredentialType;
	/** n8n's CLI CredentialsHelper over the package's credential types and these test credentials. */
	credentialsHelper: (credentials: TestCredentials) => HarnessCredentialsHelper;
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

/**
 * Static data as an n8n 2.41 queue-mode worker sees it: a new execution starts from empty static
 * data (the job is queued with loadStaticData false), yet the whole object is saved when a node
 * changed it, replacing what the database held. Run it with `active: false`, as the worker builds
 * the workflow from the execution snapshot.
 */
export class QueueWorkerStaticData extends StaticDataStore {
	override load(): IDataObject {
		return {};
	}
}

/** Hands the test's items on, each paired with its input, so the node under test has a real upstream. */
const INPUT_NODE = defineTestNode({
	name: 'input',
	displayName: 'Input',
	description: 'Test input',
	group: ['input'],
	async execute() {
		return [this.getInputData().map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	},
});

const WORKFLOW_NAME = 'Braze test workflow';
let executionCounter = 0;

export function createHarness(options: HarnessOptions): Harness {
	const registry: Record<string, INodeType | IVersionedNodeType> = { [INPUT_NODE.type]: INPUT_NODE.nodeType };
	const types: Record<string, string> = {};
	for (const NodeClass of options.nodes) {
		const nodeType = new NodeClass();
		const type = `${options.packageName}.${nodeType.description.name}`;
		types[nodeType.description.name] = type;
		registry[type] = nodeType;
	}
	const credentialTypes = new Map(options.credentials.map((CredentialClass) => {
		const credentialType = new CredentialClass();
		return [credentialType.name, credentialType] as const;
	}));
	const getCredentialType = (name: string): ICredentialType => {
		const type = credentialTypes.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	};
	const nodeTypes: INodeTypes = {
		getByName: (type) => registry[type],
		getByNameAndVersion: (type, version) => {
			const nodeType = registry[type];
			if (!nodeType) throw new Error(`Unrecognized node type: ${type}`);
			return NodeHelpers.getVersionedNodeType(nodeType, version);
		},
		getKnownTypes: () => ({}),
	};
	const credentialsHelper = (credentials: TestCredentials) => new HarnessCredentialsHelper(getCredentialType, credentials);
	return {
		types,
		executeNode: async (spec, items, executeOptions = {}) =>
			await executeInWorkflow(nodeTypes, credentialsHelper, spec, items, executeOptions),
		registerNodeType: (node) => {
			registry[node.type] = node.nodeType;
		},
		getCredentialType,
		credentialsHelper,
	};
}

async function executeInWorkflow(
	nodeTypes: INodeTypes,
	credentialsHelper: Harness['credentialsHelper'],
	spec: NodeSpec,
	items: INodeExecutionData[] | IDataObject[],
	options: ExecuteOptions,
): Promise<ExecutionResult> {
	const mode = options.mode ?? 'manual';
	const { workflow, nodes, staticData, node, inputNode } = buildWorkflow(nodeTypes, spec, options);
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: WORKFLOW_NAME,
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
	const additionalData = buildAdditionalData(hooks, credentialsHelper(options.credentials ?? {}), executionId, workflow.id);
	const execution = new WorkflowExecute(additionalData, mode, startData(inputNode, items));
	const running = execution.processRunExecutionData(workflow);
	options.onStart?.(() => running.cancel());
	let run: IRun;
	try {
		run = await running;
	} catch (error) {
		if (!finished) throw error;
		run = finished;
	}
	return collectResult(run, node.name, newStaticData);
}

function buildWorkflow(nodeTypes: INodeTypes, spec: NodeSpec, options: ExecuteOptions) {
	const nodeName = spec.name ?? 'Node Under Test';
	const node: INode = {
		id: `node-${nodeName}`,
		name: nodeName,
		type: spec.type,
		typeVersion: spec.typeVersion ?? 1,
		position: [0, 0],
		parameters: spec.parameters,
		credentials: spec.credentials,
		onError: spec.onError,
		continueOnFail: spec.continueOnFail,
		alwaysOutputData: spec.alwaysOutputData,
		retryOnFail: spec.retryOnFail,
		maxTries: spec.maxTries,
		waitBetweenTries: spec.waitBetweenTries,
	};
	const inputNode: INode = {
		id: 'node-input',
		name: 'Input',
		type: INPUT_NODE.type,
		typeVersion: 1,
		position: [-200, 0],
		parameters: {},
	};
	const nodes = [inputNode, node, ...(options.downstream?.nodes ?? [])];
	const staticData = options.staticData?.load() ?? {};
	const mode = options.mode ?? 'manual';
	const active = options.active ?? (mode === 'trigger' || mode === 'webhook');
	const workflow = new Workflow({
		id: options.workflowId ?? 'BrazeTestWf00001',
		name: WORKFLOW_NAME,
		nodes,
		connections: {
			Input: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
			...(options.downstream?.connections ?? {}),
		} as Workflow['connectionsBySourceNode'],
		active,
		nodeTypes,
		staticData,
		settings: { executionOrder: 'v1' },
	});
	return { workflow, nodes, staticData, node, inputNode };
}

function buildAdditionalData(
	hooks: ExecutionLifecycleHooks,
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
	workflowId: string,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper,
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
}

function startData(inputNode: INode, items: INodeExecutionData[] | IDataObject[]): IRunExecutionData {
	const inputItems: INodeExecutionData[] = (items as Array<INodeExecutionData | IDataObject>).map(
		(item, index) =>
			isExecutionData(item)
				? { pairedItem: { item: index }, ...item }
				: { json: item, pairedItem: { item: index } },
	);
	return {
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
}

function collectResult(run: IRun, nodeName: string, newStaticData: IDataObject | undefined): ExecutionResult {
	const outputsOf = (name: string) =>
		(run.data.resultData.runData[name]?.[0]?.data?.main ?? []).map((output) => output ?? []);
	const task = run.data.resultData.runData[nodeName]?.[0];
	return {
		run,
		outputs: outputsOf(nodeName),
		outputsOf,
		error: run.data.resultData.error as ExecutionResult['error'],
		hints: (task?.hints ?? []) as Array<{ message: string }>,
		newStaticData,
		executionTime: task?.executionTime,
	};
}

function isExecutionData(item: INodeExecutionData | IDataObject): item is INodeExecutionData {
	return typeof item === 'object' && item !== null && 'json' in item && typeof item.json === 'object';
}
