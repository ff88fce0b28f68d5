export { BrazeLiquid, type BrazeLiquidOptions } from './braze-liquid';
export { DEFAULT_RENDER_LIMITS, type RenderLimits } from './runtime/limits';
export { LiquidTemplateError, type LiquidErrorKind } from './errors/template-error';
export type { CompiledTemplate, LiquidScope, RenderResult } from './render/compiled-template';
export type { LiquidNetwork, ConnectedContentAnswer } from './network/liquid-network';
export type { ConnectedContentRequest } from './network/connected-content-call';
export { contentBlockNames, BLOCK_NAME, type ContentBlockLookup } from './network/content-blocks';
