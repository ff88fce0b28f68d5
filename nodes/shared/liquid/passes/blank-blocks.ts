import {
	AssignTag,
	CaptureTag,
	CaseTag,
	CommentTag,
	ForTag,
	IfTag,
	InlineCommentTag,
	LiquidTag,
	RawTag,
	TablerowTag,
	TokenKind,
	UnlessTag,
	type Template,
} from '../engine';
import { LoopGuard } from '../tags/loops';

// Ruby Liquid drops the whitespace text of `if`/`unless`/`case`/`for` blocks whose bodies are
// "blank" (only whitespace and tags that print nothing, like assign), so
// `{% if x %}\n  {% assign y = 1 %}\n{% endif %}` renders nothing. liquidjs keeps that whitespace.

interface Branch {
	templates: Template[];
}

interface Branching {
	branches: Branch[];
	elseTemplates?: Template[];
}

interface Looping {
	templates: Template[];
	elseTemplates?: Template[];
}

const WHITESPACE = /^[ \t\r\n\f\v]*$/;

function isHtml(node: Template): boolean {
	return node.token.kind === TokenKind.HTML;
}

function htmlText(node: Template): string {
	return (node as unknown as { str: string }).str;
}

function bodiesOf(node: Template): Template[][] {
	if (node instanceof IfTag || node instanceof UnlessTag || node instanceof CaseTag) {
		const tag = node as unknown as Branching;
		const bodies = tag.branches.map((branch) => branch.templates);
		if (tag.elseTemplates) bodies.push(tag.elseTemplates);
		return bodies;
	}
	if (node instanceof ForTag || node instanceof TablerowTag) {
		const tag = node as unknown as Looping;
		return tag.elseTemplates ? [tag.templates, tag.elseTemplates] : [tag.templates];
	}
	if (node instanceof CaptureTag || node instanceof LiquidTag) {
		return [(node as unknown as Looping).templates];
	}
	return [];
}

function isBlank(node: Template): boolean {
	if (isHtml(node)) return WHITESPACE.test(htmlText(node));
	if (node instanceof LoopGuard || node instanceof AssignTag || node instanceof CaptureTag) return true;
	if (node instanceof CommentTag || node instanceof InlineCommentTag) return true;
	if (node instanceof RawTag) return (node as unknown as { tokens: unknown[] }).tokens.length === 0;
	if (
		node instanceof IfTag ||
		node instanceof UnlessTag ||
		node instanceof CaseTag ||
		node instanceof ForTag ||
		node instanceof TablerowTag ||
		node instanceof LiquidTag
	) {
		return bodiesOf(node).every((body) => body.every(isBlank));
	}
	return false;
}

/** Ruby strips blank bodies of these; tablerow, capture and liquid keep their text. */
function strips(node: Template): boolean {
	return node instanceof IfTag || node instanceof UnlessTag || node instanceof CaseTag || node instanceof ForTag;
}

/** Applies Ruby's blank-block rule to a parsed template, in place. */
export function stripBlankBlocks(templates: Template[]): void {
	for (const node of templates) {
		const bodies = bodiesOf(node);
		if (bodies.length === 0) continue;
		for (const body of bodies) stripBlankBlocks(body);
		if (strips(node) && isBlank(node)) {
			for (const body of bodies) {
				for (let i = body.length - 1; i >= 0; i--) if (isHtml(body[i])) body.splice(i, 1);
			}
		}
	}
}
