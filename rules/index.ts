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

export const allRules: readonly Rule[] = [
  grpcClusteripImbalance,
  serviceAppProtocol,
  prestopSleep,
  graceperiodBudget,
  sleepActionVersion,
  readinessProbe,
  prestopExecBinary,
  dockerfileExecForm,
  entrypointScriptExec,
  podCommandExec,
  commandOverridesInit,
  packageManagerPid1,
];
