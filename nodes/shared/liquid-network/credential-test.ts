import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { parseNamedCredentials } from './named-credentials';

/** The Braze Connected Content API credential's test: its entries parse (there is no one URL to call). */
export async function testNamedCredentials(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const entries = parseNamedCredentials(String(credential.data?.secrets ?? ''));
		return { status: 'OK', message: `${entries.size} named credential(s): ${[...entries.keys()].join(', ')}` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
