import type { Template } from '../engine';
import { stripBlankBlocks } from './blank-blocks';
import { rubyLiterals } from './ruby-literals';

/** Gives a freshly parsed template Ruby Liquid's meaning where liquidjs parses differently, in place. */
export function applyRubyPasses(templates: Template[]): void {
	stripBlankBlocks(templates);
	rubyLiterals(templates);
}
