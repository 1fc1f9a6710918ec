// Values-aware Helm renderer: Go text/template with Helm's and Sprig's functions, rendering a chart the way
// `helm template` does, with a source map from every rendered character to template text or a values node,
// and explicit unknowns (placeholders) for what cannot be known offline. Nothing in the chart is executed.

export { renderChart } from './render.js';
export { originAt, segmentAt } from './sourcemap.js';
export { isUnknownText } from './value.js';
export { parseTemplate } from './parse.js';
export type {
  ChartInput,
  ChartRender,
  Diagnostic,
  DiagnosticKind,
  Origin,
  Region,
  RenderedTemplate,
  RenderOptions,
  Segment,
  ValueOrigin,
} from './types.js';
