// Public types of the Helm renderer (re-exported by index.ts) and the few shared by its modules.
// Offsets are JS string indices (UTF-16 code units) into the file they name, as elsewhere in kubeconn.

export interface ChartInput {
  /** Absolute path of the chart folder (holds Chart.yaml). */
  root: string;
  /**
   * Every file of the chart that may be read: Chart.yaml, values.yaml, templates/**, charts/<sub>/**.
   * Keys are absolute paths under `root` or paths relative to it; results name files by these keys.
   */
  files: ReadonlyMap<string, string>;
}

export interface RenderOptions {
  /** Extra values files (keys of `files`, paths relative to the root, or keys of `extraValues`), merged over values.yaml in order. */
  valuesFiles?: string[];
  /** Texts of values files that are not part of the chart (e.g. an environment's overrides). */
  extraValues?: ReadonlyMap<string, string>;
  /** `.Release.Name`; default 'release'. */
  releaseName?: string;
  /** `.Release.Namespace`; default: unknown (renders as an unknown placeholder). */
  releaseNamespace?: string;
  /** `.Capabilities.KubeVersion`, e.g. '1.30.0' or 'v1.29.3'; default '1.30.0'. */
  kubeVersion?: string;
}

/** Where a rendered character came from. */
export type Origin =
  /** Literal template text, 1:1 from `start` in `file` (a template, `_helpers.tpl` for included text). */
  | { kind: 'template'; file: string; start: number }
  /** A values-file node passed through (unchanged, quoted, defaulted, toYaml'd…): the node's [start,end) and path. */
  | { kind: 'value'; file: string; start: number; end: number; path: (string | number)[] }
  /** Computed by an action: the action's `{{ … }}` span. */
  | { kind: 'expression'; file: string; start: number; end: number };

export type ValueOrigin = Extract<Origin, { kind: 'value' }>;

/** A rendered range [start,end) and its origin. */
export interface Segment {
  start: number;
  end: number;
  origin: Origin;
}

/** A rendered range with a reason (unknown value, or output of a branch taken on an unknown condition). */
export interface Region {
  start: number;
  end: number;
  reason: string;
}

export type DiagnosticKind =
  | 'syntax' // template lexing/parsing
  | 'function' // unknown function, wrong arity
  | 'eval' // an action failed as it would in Helm (bad type, missing template…)
  | 'fail' // {{ fail }}
  | 'required' // {{ required }} on a missing value
  | 'limit' // recursion, iterations, output size, work budget
  | 'values' // a values file or Chart.yaml does not parse
  | 'chart'; // chart layout (missing Chart.yaml, packaged subchart…)

export interface Diagnostic {
  file: string;
  start: number;
  end: number;
  message: string;
  kind: DiagnosticKind;
}

export interface RenderedTemplate {
  /** Template file path (a key of ChartInput.files). */
  template: string;
  /** Helm's name for it, e.g. 'shop/charts/redis/templates/service.yaml'. */
  name: string;
  /** Name of the (sub)chart it belongs to. */
  chart: string;
  /** Rendered output. */
  text: string;
  /** Sorted, non-overlapping, covering every rendered character. */
  segments: Segment[];
  /** Rendered spans holding an unknown placeholder (one per placeholder occurrence). */
  unknowns: Region[];
  /** Rendered regions produced by a branch whose condition is unknown (may be empty, e.g. a range over an unknown). */
  uncertain: Region[];
  /** The template's documents carry a helm.sh/hook annotation, or it lives under templates/tests/. */
  hooks: boolean;
  /** False when rendering stopped early (a limit was hit); `text` is what was rendered until then. */
  complete: boolean;
}

export interface ChartRender {
  chart: { name: string; version?: string; root: string };
  /** One per templates/**.yaml|yml (always) and .tpl (when it emits output), partials (_*) excluded; subcharts included. */
  templates: RenderedTemplate[];
  /** The merged values of the top chart (plain JS), for debugging. */
  values: unknown;
  diagnostics: Diagnostic[];
}
