// Every kubeconn rule, in documentation order. Front ends generate their rule lists from this array.
import type { Rule } from '../src/core/rule.js';
import graceperiodBudget from './grace-period-budget.js';
import grpcClusteripImbalance from './grpc-clusterip-imbalance.js';
import prestopSleep from './prestop-sleep.js';
import readinessProbe from './readiness-probe.js';
import serviceAppProtocol from './service-app-protocol.js';
import sleepActionVersion from './sleep-action-version.js';

export const allRules: readonly Rule[] = [
  grpcClusteripImbalance,
  serviceAppProtocol,
  prestopSleep,
  graceperiodBudget,
  sleepActionVersion,
  readinessProbe,
];
