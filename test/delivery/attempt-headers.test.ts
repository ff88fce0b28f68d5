import { requestForAttempt, type SendRequest } from '../../nodes/shared/delivery/attempt-headers';

describe('requestForAttempt', () => {
	const base: SendRequest = { url: 'https://example.test/', method: 'POST', headers: { 'X-Trace': 't', 'Webhook-Id': 'typed' }, body: 'b' };

	it('without a per-attempt hook, sends the request as rendered', () => {
		expect(requestForAttempt(base, 1000)).toBe(base);
	});

	it("asks the hook for each attempt's headers with the body and the time; they replace rendered ones in any letter case", () => {
		const calls: Array<[unknown, number]> = [];
		const request: SendRequest = {
			...base,
			headersForAttempt: (body, nowMs) => {
				calls.push([body, nowMs]);
				return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(nowMs) };
			},
		};
		expect(requestForAttempt(request, 1000).headers).toEqual({ 'X-Trace': 't', 'webhook-id': 'msg_1', 'webhook-timestamp': '1000' });
		expect(requestForAttempt(request, 2000).headers['webhook-timestamp']).toBe('2000');
		expect(calls).toEqual([
			['b', 1000],
			['b', 2000],
		]);
		expect(request.headers).toEqual({ 'X-Trace': 't', 'Webhook-Id': 'typed' });
	});
});
