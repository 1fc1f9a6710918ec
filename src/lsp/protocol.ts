// What kubeconn's language server adds to LSP, shared by the server and its clients (types and method names
// only: the VS Code client imports this file without pulling the analysis core into its bundle).
//   kubeconn/catalog        request  → WireCatalog: the components with their scorecards and who dials whom
//   kubeconn/status         request  → ServerStatus (optionally once the server is idle)
//   kubeconn/statusChanged  notification ← ServerStatus, on scan progress and after every analysis
//   kubeconn/rescan         request  → re-read every workspace folder from disk
// Places are URIs and LSP ranges (0-based lines, UTF-16 characters), ready for any editor to open.
import type { Range } from 'vscode-languageserver-types';

export const CATALOG_REQUEST = 'kubeconn/catalog';
export const STATUS_REQUEST = 'kubeconn/status';
export const STATUS_NOTIFICATION = 'kubeconn/statusChanged';
export const RESCAN_REQUEST = 'kubeconn/rescan';
/** The code action command that opens a rule's page (arguments: rule id, docs URL). */
export const SHOW_DOCS_COMMAND = 'kubeconn.showDocumentation';
export const FIX_ALL_KIND = 'source.fixAll.kubeconn';

/** `initializationOptions` a client may send. */
export interface InitializationOptions {
  /** Base of the rule pages diagnostics link to (`<base><rule id>.md`); default: the pages on GitHub. */
  docsBaseUri?: string;
  /** Add the findings at a position, grouped by rule, to hovers (default true; VS Code shows diagnostics itself). */
  hoverFindings?: boolean;
  /** Commands the client runs itself (the server then does not register them for workspace/executeCommand). */
  clientCommands?: string[];
  /** Delay between the last edit and the re-analysis, in ms (default 150). */
  debounceMs?: number;
  /** Settings for clients without workspace/configuration (same shape as the `kubeconn` section). */
  settings?: Record<string, unknown>;
}

export interface WirePlace {
  label: string;
  detail?: string;
  uri: string;
  range: Range;
}

export interface WireFinding {
  ruleId: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
  uri: string;
  range: Range;
}

export type WireCheckStatus = 'pass' | 'fail' | 'off' | 'na';

export interface WireCheck {
  id: 'balanced' | 'drains' | 'grace' | 'sigterm';
  label: string;
  status: WireCheckStatus;
  findings: WireFinding[];
}

export interface WireComponent {
  id: string;
  name: string;
  namespace?: string;
  kind: string;
  system?: string;
  entity?: WirePlace;
  manifest: WirePlace;
  services: WirePlace[];
  serviceIds: string[];
  replicas?: number;
  images: { image: string; links: WirePlace[] }[];
  callers: WirePlace[];
  calls: WirePlace[];
  checks: WireCheck[];
}

export interface WireEdge {
  from: string;
  to: string;
  service: string;
  findings: WireFinding[];
  evidence: WirePlace[];
}

export interface WireCatalog {
  groupBy: 'namespace' | 'system';
  groups: { kind: 'namespace' | 'system'; name: string; componentIds: string[] }[];
  components: WireComponent[];
  edges: WireEdge[];
}

export interface CatalogParams {
  /** auto (default): Backstage Systems when catalog-info.yaml entities exist, else namespaces. */
  groupBy?: 'auto' | 'namespace' | 'system';
}

export interface StatusParams {
  /** Answer once no scan, debounced analysis or publication is pending. */
  waitForIdle?: boolean;
  /** URIs to look up: `known` says which of them the server analyses. */
  files?: string[];
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export interface ServerStatus {
  state: 'starting' | 'scanning' | 'idle';
  /** Analyses published so far: a client refetches the catalog when this moves. */
  analyses: number;
  /** While scanning: files read so far of those found. */
  scan?: { done: number; total: number };
  /** Files in the analysis. */
  files: number;
  counts: Counts;
  /** Invalid settings and config-file problems, one message each (they fall back to their defaults). */
  settingsErrors: string[];
  /** kubeconn bugs met so far (logged with their stack). */
  internalErrors: string[];
  stats: {
    /** Files read by the last full scan and its duration (reading, extraction, first analysis). */
    scannedFiles: number;
    scanMs: number;
    scanAnalysisMs: number;
    /** Since the server started, to the first scan being published. */
    firstScanMs?: number;
    /** Duration of recent analyses and of edit → diagnostics (debounce included), most recent last. */
    analysisMs: number[];
    editToResultMs: number[];
    /** Whole analyses made when idle after incremental ones, and how many differed from them (kubeconn bugs). */
    reconciled: number;
    reconcileDiffered: number;
    /**
     * Fix verification so far: edited texts re-parsed, fixes re-analysed, fixes and suggestions dropped. Analyses
     * verify nothing; code actions verify the fixes they offer.
     */
    fixVerification: { reparses: number; reanalysedFixes: number; dropped: number };
  };
  known?: boolean[];
}
