export { BrazeLiquid, type BrazeLiquidOptions } from './braze-liquid';
export { DEFAULT_RENDER_LIMITS, type RenderLimits } from './limits';
export { LiquidTemplateError, type LiquidErrorKind } from './errors/template-error';
export type { CompiledTemplate, LiquidScope, RenderResult } from './compiled-template';
