/**
 * What one attempt means for its send: the end of it (sent, refused, not made), or a retry.
 * Free of n8n and of the session's state; the session records the attempt with the host first.
 */
import type { AttemptOutcome } from './attempt';
import { classifyStatus } from './classify';
import { refused, requestNotMade, sent, type DeliveryResult, type SendProgress } from './results';

/**
 * The result that ends the send, or undefined when the attempt may be retried. Counts the attempt
 * into `progress` (last response, last failure) for the messages of later results.
 */
export function judgeAttempt(
	progress: SendProgress,
	outcome: AttemptOutcome,
	durationMs: number,
): DeliveryResult | undefined {
	if (outcome.kind === 'error') {
		const { kind, code } = outcome.error;
		if (kind === 'other') return requestNotMade(progress, durationMs, code);
		progress.lastFailure = `${kind === 'timeout' ? 'timed out' : 'connection failed'} (${code ?? 'no code'})`;
		return undefined;
	}
	const { response } = outcome;
	progress.lastResponse = response;
	const verdict = classifyStatus(response.statusCode);
	if (verdict === 'delivered') return sent(response, progress.attempts, durationMs);
	if (verdict === 'redirect' || verdict === 'permanent') return refused(progress, response, verdict, durationMs);
	progress.lastFailure = `HTTP ${response.statusCode}`;
	return undefined;
}
