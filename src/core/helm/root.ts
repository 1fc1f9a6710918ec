// The top-level object a template sees: .Values, .Release, .Chart, .Capabilities, .Template, .Files.
// What a cluster or an install would decide (namespace unless given, API versions, lookup) is unknown.

import { strval, unknown } from './call.js';
import type { ChartFiles, LoadedChart } from './chart.js';
import type { Method } from './eval.js';
import type { RenderOptions } from './types.js';
import { STRINGER, Unknown, type GoMap, type Val } from './value.js';

function kubeVersion(v: string | undefined): GoMap {
  const raw = (v ?? '1.30.0').trim().replace(/^v/, '');
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(raw);
  const [major, minor, patch, rest] = m ? [m[1]!, m[2] ?? '0', m[3] ?? '0', m[4] ?? ''] : ['1', '30', '0', ''];
  const version = `v${major}.${minor}.${patch}${rest}`;
  return { Version: version, Major: major, Minor: minor, GitVersion: version, [STRINGER]: version };
}

function filesObject(chart: LoadedChart, files: ChartFiles): GoMap {
  const get: Method = (c, [name]) => {
    if (!name || name.v instanceof Unknown) return unknown('.Files.Get of an unknown name');
    const f = files.get(chart.dir + strval(c, name).replace(/^\.?\//, ''));
    return f ? { v: f.text } : unknown(`.Files.Get ${JSON.stringify(strval(c, name))}: file contents are not known`);
  };
  const lines: Method = (c, args) => {
    const r = get(c, args);
    return typeof r.v === 'string' ? { v: r.v.split('\n') } : r;
  };
  const unknowable =
    (what: string): Method =>
    () =>
      unknown(`.Files.${what}: file contents are not known`);
  return {
    Get: get,
    GetBytes: get,
    Lines: lines,
    Glob: unknowable('Glob'),
    AsConfig: unknowable('AsConfig'),
    AsSecrets: unknowable('AsSecrets'),
    [STRINGER]: 'map[]',
  };
}

/** The root object for one template. */
export function rootData(chart: LoadedChart, rel: string, values: GoMap, files: ChartFiles, options: RenderOptions): Val {
  const has: Method = (c, [v]) =>
    unknown(`.Capabilities.APIVersions.Has ${v ? JSON.stringify(strval(c, v)) : ''}: the cluster's API versions are not known`);
  const root: GoMap = {
    Values: values,
    Release: {
      Name: options.releaseName ?? 'release',
      Namespace: options.releaseNamespace ?? new Unknown('.Release.Namespace is not known (set releaseNamespace)'),
      Service: 'Helm',
      IsInstall: true,
      IsUpgrade: false,
      Revision: 1,
    },
    Chart: chart.metadata,
    Capabilities: {
      KubeVersion: kubeVersion(options.kubeVersion),
      APIVersions: { Has: has, [STRINGER]: '[]' },
      HelmVersion: { Version: 'v3.16.0', GitCommit: '', GitTreeState: 'clean', GoVersion: 'go1.22', [STRINGER]: 'v3.16.0' },
    },
    Template: { Name: `${chart.fullPath}/${rel}`, BasePath: `${chart.fullPath}/templates` },
    Files: filesObject(chart, files),
  };
  return { v: root };
}
