// `kubeconn/core`: the analysis core with kubeconn's own rules wired in, for programs that use kubeconn as a
// library (and for the front ends, which take the registry from here).
import { Workspace, type KubeconnOptions } from './core/index.js';
import { allRules } from '../rules/index.js';

export * from './core/index.js';
export { allRules };

/** A Workspace that runs every kubeconn rule. */
export function createWorkspace(options: Partial<KubeconnOptions> = {}): Workspace {
  return new Workspace(options, allRules);
}
