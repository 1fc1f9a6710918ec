// Every kubeconn rule, in documentation order. Front ends generate their rule lists from this array.
import type { Rule } from '../src/core/rule.js';
import graceperiodBudget from './grace-period-budget.js';
import grpcClusteripImbalance from './grpc-clusterip-imbalance.js';
import prestopSleep from './prestop-sleep.js';
import readinessProbe from './readiness-probe.js';
import serviceAppProtocol from './service-app-protocol.js';
import sleepActionVersion from './sleep-action-version.js';
import commandOverridesInit from './command-overrides-init.js';
import dockerfileExecForm from './dockerfile-exec-form.js';
import entrypointScriptExec from './entrypoint-script-exec.js';
import packageManagerPid1 from './package-manager-pid1.js';
import podCommandExec from './pod-command-exec.js';
import prestopExecBinary from './prestop-exec-binary.js';
import grpcClientLoadBalancing from './grpc-client-load-balancing.js';
import grpcClientStaleEndpoints from './grpc-client-stale-endpoints.js';
import grpcServerMaxConnectionAge from './grpc-server-max-connection-age.js';
import grpcRemovedBalancerApi from './grpc-removed-balancer-api.js';
import grpcServiceConfig from './grpc-service-config.js';
import kuberesolverTarget from './kuberesolver-target.js';
import kuberesolverRbac from './kuberesolver-rbac.js';
import meshHeadlessConflict from './mesh-headless-conflict.js';
import keepaliveIdleTimeout from './keepalive-idle-timeout.js';
import gracefulShutdown from './graceful-shutdown.js';
import meshSidecarLifecycle from './mesh-sidecar-lifecycle.js';
import stopSignal from './stop-signal.js';
import grpcKeepaliveEnforcement from './grpc-keepalive-enforcement.js';

export const allRules: readonly Rule[] = [
  grpcClusteripImbalance,
  serviceAppProtocol,
  grpcClientLoadBalancing,
  grpcClientStaleEndpoints,
  grpcServerMaxConnectionAge,
  grpcRemovedBalancerApi,
  grpcServiceConfig,
  kuberesolverTarget,
  kuberesolverRbac,
  meshHeadlessConflict,
  grpcKeepaliveEnforcement,
  prestopSleep,
  graceperiodBudget,
  sleepActionVersion,
  readinessProbe,
  prestopExecBinary,
  gracefulShutdown,
  meshSidecarLifecycle,
  dockerfileExecForm,
  entrypointScriptExec,
  podCommandExec,
  commandOverridesInit,
  packageManagerPid1,
  stopSignal,
  keepaliveIdleTimeout,
];
