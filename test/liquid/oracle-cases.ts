import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BrazeLiquid, type RenderResult } from '../../nodes/shared/liquid';

export interface OracleCase {
	id: string;
	template: string;
	braze?: string;
	data?: Record<string, unknown>;
	output?: string;
	error?: string;
}

export const ORACLE_SCRIPT = path.join(__dirname, 'oracle', 'render.rb');

export function rubyLiquidAvailable(): boolean {
	try {
		execFileSync('ruby', ['-e', 'require "liquid"'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

export function runRubyOracle(cases: Array<{ id: string; template: string; data: unknown }>): OracleCase[] {
	const stdout = execFileSync('ruby', [ORACLE_SCRIPT], {
		input: JSON.stringify(cases),
		encoding: 'utf8',
		env: { ...process.env, TZ: 'UTC' },
		maxBuffer: 64 * 1024 * 1024,
	});
	return JSON.parse(stdout) as OracleCase[];
}

export function renderOurs(engine: BrazeLiquid, template: string, data: Record<string, unknown>): RenderResult {
	return engine.render(template, 'Body', data);
}

/** Ruby's answer as the string the comparison uses: the output, or "error". */
export function rubyAnswer(result: { output?: string; error?: string }): string {
	return result.error !== undefined ? '<error>' : (result.output as string);
}

export function ourAnswer(result: RenderResult): string {
	if (result.kind === 'output') return result.output;
	if (result.kind === 'abort') return `<abort ${result.reason ?? ''}>`;
	return '<error>';
}
