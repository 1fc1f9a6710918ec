// Grpc.Net.Client edits: a ServiceConfig in GrpcChannelOptions (added to its initializer, or a new options
// argument), and `using` directives. ASP.NET Core servers have no max connection age to set.
import type { ChannelSetting, CodeEditBuilder } from './index.js';
import { addImportLines, appendItem, hasImport, replace, replaceStringContent } from './list.js';

/** The load-balancing config classes of Grpc.Net.Client.Configuration. */
const CONFIG_CLASS: Readonly<Record<string, string>> = { round_robin: 'RoundRobinConfig', pick_first: 'PickFirstConfig' };

function serviceConfig(setting: ChannelSetting): string | undefined {
  const type = Object.hasOwn(CONFIG_CLASS, setting.policy) ? CONFIG_CLASS[setting.policy] : undefined;
  return type && `ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new ${type}() } }`;
}

export const csharpEdits: CodeEditBuilder = {
  addChannelSetting(site, setting) {
    const assignment = serviceConfig(setting);
    const options = site.options;
    if (!assignment) return undefined;
    if (options?.kind === 'none') return [appendItem(options.args, `new GrpcChannelOptions { ${assignment} }`)];
    // An initializer that already configures balancing cannot take a second ServiceConfig (CS1912).
    if (options?.kind === 'list' && site.lb.length === 0 && !site.lbUnknown) return [appendItem(options.list, assignment, { ownLine: true, padEmpty: true })];
    return undefined;
  },
  replaceWithChannelSetting(at, setting) {
    const assignment = serviceConfig(setting);
    return assignment ? [replace(at, assignment)] : undefined;
  },
  addServerSetting: () => undefined,
  addImports: (imports, requests) => addImportLines(imports, requests.filter((r) => !hasImport(imports, r.module)).map((r) => `using ${r.module};`)),
  replaceStringContent,
};
