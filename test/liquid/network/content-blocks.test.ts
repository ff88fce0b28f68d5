import { engine, output } from '../helpers';
import { compileError } from '../helpers';
import { BrazeLiquid } from '../../../nodes/shared/liquid';

const BLOCKS: Record<string, string> = {
	greeting: 'Hi {{${first_name}}}{{content_blocks.${signature}}}',
	signature: ' -- {{content_blocks.${deepest}}}team',
	deepest: 'NEVER',
	big: 'x'.repeat(50 * 1024 + 1),
};

const withBlocks = () => new BrazeLiquid({ contentBlocks: (name) => BLOCKS[name] });

describe('content_blocks (Braze: one nesting level, 50 KB)', () => {
	test('a block renders in the item\'s context; its own block is expanded once more, a third level is removed', () => {
		expect(output('[{{content_blocks.${greeting}}}]', { first_name: 'Ada' }, withBlocks())).toBe('[Hi Ada -- team]');
	});
	test('an unknown block is a clear error at the reference', () => {
		const liquid = withBlocks();
		expect(() => liquid.compile('x {{content_blocks.${nope}}}', 'Body')).toThrow('unknown Content Block "nope"');
		try {
			liquid.compile('x\n {{content_blocks.${nope}}}', 'Body');
		} catch (error) {
			expect([(error as { line: number }).line, (error as { column: number }).column]).toEqual([2, 2]);
		}
	});
	test('a block over 50 KB is refused', () => {
		expect(() => withBlocks().compile('{{content_blocks.${big}}}', 'Body')).toThrow("larger than Braze's 50 KB limit");
	});
	test('without blocks, a reference names where to define it', () => {
		expect(compileError('{{content_blocks.${promo}}}').reason).toContain('define it under Connected Content > Content Blocks');
		expect(engine().compile('{{a}}', 'Body').usesNetwork).toBe(false);
	});
});
