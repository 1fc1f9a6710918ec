// What rule modules (rules/*.ts and rules/lib/) may use of the core: the rule shape, the model's types and
// queries, fact types, and the edit builders. Rules import from here only, so the core's layout can change
// without touching them.
export { defineRule, docsPath, type FixDescriptor, type ReportDescriptor, type Rule, type RuleContext, type RuleMeta } from './rule.js';
export type { Fix, Severity, Span, TextEdit, TextRange } from './finding.js';
export { escapeRegExp } from './text.js';
export { pushTo } from './multimap.js';
export { compareMinor, parseVersion, type KubeconnOptions } from './options.js';
export { block, columnOf, eolOf, flow, insertDocumentAfter, insertIntoMap, replaceScalar, scalarString, type YamlValue } from './edit.js';
export { insertDocumentAfterObject, insertIntoObjectMap, replaceObjectScalar } from './object-edits.js';
export {
  asMap,
  asScalar,
  asSeq,
  get,
  getIn,
  headRange,
  num,
  pairOf,
  pairRange,
  range,
  str,
  stringList,
  stringMap,
} from './facts/yaml-util.js';
export {
  BATCH_KINDS,
  sleepSecondsOf,
  type Container,
  type ContainerPort,
  type EnvVar,
  type Hook,
  type Service,
  type ServicePort,
  type Workload,
} from './facts/k8s.js';
export { TEMPLATED, type K8sObject } from './facts/manifests.js';
export type { DfCommand, DfStage, DockerfileFacts } from './facts/dockerfile.js';
export type { DialSite, GrpcFacts, LbChoice, Range, RemovedApi, ServerSite, ServiceConfigLiteral } from './facts/grpc/index.js';
export { readServiceConfig, serviceConfigSelecting } from './facts/grpc/service-config.js';
export { renderParts } from './facts/grpc/value.js';
export { codeEditBuilder, type CodeEdit } from './edit/code/index.js';
export type { ParsedTarget } from './facts/grpc/target.js';
export { AnalysisModel, type MeshEvidence, type PortTarget, type RouteBackend } from './model/index.js';
export { isDbProxy, isScrapePort, isSidecar } from './model/served.js';
export {
  grpcPortEvidence,
  grpcPortNameHint,
  isGrpcAppProtocol,
  isGrpcPortName,
  sameNamespace,
  type GrpcPortEvidence,
} from './model/kubernetes.js';
export {
  imageLacksExecutable,
  imageRepository,
  imageTag,
  rootImageOf,
  shellOfImage,
  shellsOfImage,
  type BashGeneration,
  type DockerfileLink,
  type ImageShells,
  type ShellFlavour,
} from './model/images.js';
export type { ConfigLink, DialLink, ServerLink } from './model/code.js';
export type { ConfigUse } from './model/app-config.js';
export { WELL_KNOWN_GRPC_PORTS } from './model/grpc-evidence.js';
export { bootVersion, springShutdown, type Drain, type SpringShutdown } from './model/drains.js';
export { nativeSidecar, type Front, type FrontKind } from './model/fronts.js';
export { durationSeconds, ISTIO_DRAIN_SECONDS, type Sidecar } from './model/sidecars.js';
export type { CodeServers, ContainerServers } from './model/servers.js';
export {
  gunicornKeepsAlive,
  springSeconds,
  type CommandServer,
  type CommandWord,
  type HttpServerSite,
  type KeepaliveClient,
  type KeepaliveServer,
  type ServerFacts,
  type Setting,
} from './facts/servers/index.js';
export type { ImportsLayout } from './facts/grpc/shapes.js';
export {
  basename,
  evaluateScriptCode,
  INITS,
  packageManagerDrains,
  type ArgWord,
  type PackageManagerKind,
  type Certainty,
  type PackageManagerProblem,
  type Pid1Evaluation,
  type Pid1Problem,
  type ShellCause,
  type ShellProblem,
} from './model/pid1/evaluate.js';
export type { ContainerEvaluation, ImageEvaluation } from './model/pid1/entrypoints.js';
