// A plain-JS copy of test/harness/engine.ts (the parts a benchmark needs), running the BUILT nodes
// (dist/) inside n8n-core's real WorkflowExecute: real parameter resolution, real n8n request helpers
// (this.helpers.httpRequest from n8n-core 2.41.1 / @n8n/backend-network), credentials applied the
// way n8n's CLI applies them. Only the upstream node is a stand-in that hands the items over.
'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, NodeHelpers, Workflow } = require('n8n-workflow');

const { BrazeWebhook } = require(path.join(ROOT, 'dist/nodes/BrazeWebhook/BrazeWebhook.node.js'));
const { BrazeToBraze } = require(path.join(ROOT, 'dist/nodes/BrazeToBraze/BrazeToBraze.node.js'));
const { BrazeApi } = require(path.join(ROOT, 'dist/credentials/BrazeApi.credentials.js'));
const { BrazeWebhookAuthApi } = require(path.join(ROOT, 'dist/credentials/BrazeWebhookAuthApi.credentials.js'));

const PACKAGE = 'n8n-nodes-braze-webhooks';
const WEBHOOK_TYPE = `${PACKAGE}.brazeWebhook`;
const BRAZE_TO_BRAZE_TYPE = `${PACKAGE}.brazeToBraze`;
const INPUT_TYPE = 'n8n-nodes-braze-webhooks-bench.input';

class InputNode {
	constructor() {
		this.description = {
			displayName: 'Input',
			name: 'input',
			group: ['input'],
			version: 1,
			description: 'Bench input',
			defaults: { name: 'Input' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}
	async execute() {
		return [this.getInputData()];
	}
}

const nodeRegistry = {
	[INPUT_TYPE]: new InputNode(),
	[WEBHOOK_TYPE]: new BrazeWebhook(),
	[BRAZE_TO_BRAZE_TYPE]: new BrazeToBraze(),
};
const credentialRegistry = { brazeApi: new BrazeApi(), brazeWebhookAuthApi: new BrazeWebhookAuthApi() };

const nodeTypes = {
	getByName: (type) => nodeRegistry[type],
	getByNameAndVersion: (type, version) => {
		const nodeType = nodeRegistry[type];
		if (!nodeType) throw new Error(`Unrecognized node type: ${type}`);
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	},
	getKnownTypes: () => ({}),
};

class BenchCredentialsHelper extends ICredentialsHelper {
	constructor(credentials) {
		super();
		this.credentials = credentials;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = credentialRegistry[typeName];
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate && authenticate.type === 'generic') {
			requestOptions.headers = requestOptions.headers || {};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue)) {
					requestOptions[outerKey] = requestOptions[outerKey] || {};
					requestOptions[outerKey][resolve(key, credentials, workflow, node)] = resolve(value, credentials, workflow, node);
				}
			}
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const data = this.credentials[type];
		if (!data) throw new Error(`No bench credentials of type ${type}`);
		return { ...data };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type) {
		return credentialRegistry[type].properties;
	}
}

function resolve(value, credentials, workflow, node) {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
	return resolved ? String(resolved) : '';
}

let executionCounter = 0;

/**
 * Runs one node on `items` (plain JSON objects) inside WorkflowExecute, mode 'cli' by default.
 * Returns { executionTime (runData, ms, as n8n reports it), wallMs, outputs, error }.
 */
async function executeNode(spec, items, options = {}) {
	const mode = options.mode || 'cli';
	const nodeName = spec.name || 'Node Under Test';
	const node = {
		id: `node-${nodeName}`,
		name: nodeName,
		type: spec.type || WEBHOOK_TYPE,
		typeVersion: spec.typeVersion || 1,
		position: [0, 0],
		parameters: spec.parameters,
		credentials: spec.credentials,
		onError: spec.onError,
	};
	const inputNode = { id: 'node-input', name: 'Input', type: INPUT_TYPE, typeVersion: 1, position: [-200, 0], parameters: {} };
	const nodes = [inputNode, node];
	const connections = { Input: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } };
	const workflowId = 'BrazeBenchWf0001';
	const workflow = new Workflow({
		id: workflowId,
		name: 'Braze bench workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'Braze bench workflow',
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
		staticData: {},
	});
	let finished;
	hooks.addHandler('workflowExecuteAfter', (run) => {
		finished = run;
	});
	const additionalData = {
		hooks,
		credentialsHelper: new BenchCredentialsHelper(options.credentials || {}),
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
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
	};
	const inputItems = items.map((json, index) => ({ json, pairedItem: { item: index } }));
	const runExecutionData = {
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
	};
	const t0 = performance.now();
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	let run;
	try {
		run = await execution.processRunExecutionData(workflow);
	} catch (error) {
		if (!finished) throw error;
		run = finished;
	}
	const wallMs = performance.now() - t0;
	const task = run.data.resultData.runData[nodeName] && run.data.resultData.runData[nodeName][0];
	return {
		executionTime: task ? task.executionTime : undefined,
		wallMs,
		outputs: task && task.data ? task.data.main.map((o) => o || []) : [],
		error: run.data.resultData.error,
	};
}

module.exports = { executeNode, WEBHOOK_TYPE, BRAZE_TO_BRAZE_TYPE, ROOT };
