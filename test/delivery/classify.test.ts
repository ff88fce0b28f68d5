import { classifyRequestError, classifyStatus } from '../../nodes/shared/delivery/classify';

describe('classifyStatus: Braze response table', () => {
	it.each([
		[200, 'delivered'],
		[201, 'delivered'],
		[202, 'delivered'],
		[204, 'delivered'],
		[299, 'delivered'],
		[300, 'redirect'],
		[301, 'redirect'],
		[302, 'redirect'],
		[303, 'redirect'],
		[307, 'redirect'],
		[308, 'redirect'],
		[408, 'retry'],
		[429, 'retry'],
		[500, 'retry'],
		[501, 'retry'],
		[502, 'retry'],
		[503, 'retry'],
		[504, 'retry'],
		[529, 'retry'],
		[599, 'retry'],
		[400, 'permanent'],
		[401, 'permanent'],
		[403, 'permanent'],
		[404, 'permanent'],
		[405, 'permanent'],
		[409, 'permanent'],
		[410, 'permanent'],
		[413, 'permanent'],
		[415, 'permanent'],
		[422, 'permanent'],
		[425, 'permanent'],
		[499, 'permanent'],
		[100, 'permanent'],
		[600, 'permanent'],
	] as const)('%i → %s', (status, verdict) => {
		expect(classifyStatus(status)).toBe(verdict);
	});
});

describe('classifyRequestError', () => {
	const axiosError = (code: string, cause?: unknown) =>
		Object.assign(new Error(`axios ${code}`), { isAxiosError: true, code, cause });
	const nodeApiError = (httpCode: string, cause: unknown) =>
		Object.assign(new Error('wrapped'), { name: 'NodeApiError', httpCode, cause });

	it('reads the axios error httpRequest throws', () => {
		expect(classifyRequestError(axiosError('ECONNABORTED'))).toEqual({ kind: 'timeout', code: 'ECONNABORTED' });
		expect(classifyRequestError(axiosError('ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })))).toEqual({
			kind: 'connection',
			code: 'ECONNRESET',
		});
		expect(classifyRequestError(axiosError('ECONNREFUSED'))).toEqual({ kind: 'connection', code: 'ECONNREFUSED' });
		expect(classifyRequestError(axiosError('ENOTFOUND'))).toEqual({ kind: 'connection', code: 'ENOTFOUND' });
		expect(classifyRequestError(axiosError('ETIMEDOUT'))).toEqual({ kind: 'timeout', code: 'ETIMEDOUT' });
	});

	it('reads the NodeApiError httpRequestWithAuthentication throws (code in httpCode, axios error in cause)', () => {
		expect(classifyRequestError(nodeApiError('ECONNABORTED', axiosError('ECONNABORTED')))).toEqual({
			kind: 'timeout',
			code: 'ECONNABORTED',
		});
		expect(classifyRequestError(nodeApiError('ECONNRESET', axiosError('ECONNRESET')))).toEqual({
			kind: 'connection',
			code: 'ECONNRESET',
		});
	});

	it('recognises cancellation', () => {
		expect(classifyRequestError(Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' })).kind).toBe(
			'cancelled',
		);
		expect(classifyRequestError(Object.assign(new Error('aborted'), { name: 'AbortError' })).kind).toBe('cancelled');
	});

	it('calls anything else "other", keeping only a code, never the message', () => {
		expect(classifyRequestError(axiosError('CERT_HAS_EXPIRED'))).toEqual({ kind: 'other', code: 'CERT_HAS_EXPIRED' });
		expect(classifyRequestError(new TypeError('Invalid URL https://user:secret@x'))).toEqual({ kind: 'other', code: undefined });
		expect(classifyRequestError('a string')).toEqual({ kind: 'other', code: undefined });
		expect(classifyRequestError(nodeApiError('404', undefined))).toEqual({ kind: 'other', code: undefined });
	});

	it('survives a cyclic cause chain', () => {
		const a: { code?: string; cause?: unknown } = { code: 'WHATEVER' };
		a.cause = a;
		expect(classifyRequestError(a)).toEqual({ kind: 'other', code: 'WHATEVER' });
	});
});
