// Grpc.Net.Client edits: a ServiceConfig in GrpcChannelOptions (added to its initializer, or a new options
// argument), and `using` directives. ASP.NET Core servers have no max connection age to set. Grpc.Core
// channels and servers take C-core channel args: `new ChannelOption(name, value)` entries.
import { CHANNEL_ARG } from '../../facts/grpc/channel-args.js';
import type { OptionsLayout } from '../../facts/grpc/index.js';
import type { ChannelSetting, CodeEdit, CodeEditBuilder } from './index.js';
import { addImportLines, appendItem, hasImport, replace, replaceStringContent } from './list.js';

/** Grpc.Core: entries added to the option list, or a new `new[] { … }` argument. */
function addChannelOptions(options: OptionsLayout | undefined, entries: string): CodeEdit[] | undefined {
  if (options?.kind === 'list') return [appendItem(options.list, entries, { ownLine: true, padEmpty: true })];
  if (options?.kind === 'none') return [appendItem(options.args, `new[] { ${entries} }`)];
  return undefined;
}

/** The load-balancing config classes of Grpc.Net.Client.Configuration. */
const CONFIG_CLASS: Readonly<Record<string, string>> = { round_robin: 'RoundRobinConfig', pick_first: 'PickFirstConfig' };

function serviceConfig(setting: ChannelSetting): string | undefined {
  const type = Object.hasOwn(CONFIG_CLASS, setting.policy) ? CONFIG_CLASS[setting.policy] : undefined;
  return type && `ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new ${type}() } }`;
}

export const csharpEdits: CodeEditBuilder = {
  addChannelSetting(site, setting) {
    // C-core honours grpc.lb_policy_name.
    if (site.channelArgs)
      return site.lb.length === 0 && !site.lbUnknown
        ? addChannelOptions(site.options, `new ChannelOption("${CHANNEL_ARG.lbPolicyName}", "${setting.policy}")`)
        : undefined;
    const assignment = serviceConfig(setting);
    const options = site.options;
    if (!assignment) return undefined;
    if (options?.kind === 'none') return [appendItem(options.args, `new GrpcChannelOptions { ${assignment} }`)];
    // An initializer that already configures balancing cannot take a second ServiceConfig (CS1912).
    if (options?.kind === 'list' && site.lb.length === 0 && !site.lbUnknown)
      return [appendItem(options.list, assignment, { ownLine: true, padEmpty: true })];
    return undefined;
  },
  replaceWithChannelSetting(at, setting) {
    const assignment = serviceConfig(setting);
    return assignment ? [replace(at, assignment)] : undefined;
  },
  addServerSetting: (site, s) =>
    site.channelArgs
      ? addChannelOptions(
          site.options,
          `new ChannelOption("${CHANNEL_ARG.maxConnectionAge}", ${s.ageSeconds * 1000})${s.graceSeconds === undefined ? '' : `, new ChannelOption("${CHANNEL_ARG.maxConnectionAgeGrace}", ${s.graceSeconds * 1000})`}`,
        )
      : undefined,
  addImports: (imports, requests) =>
    addImportLines(
      imports,
      requests.filter((r) => !hasImport(imports, r.module)).map((r) => `using ${r.module};`),
    ),
  replaceStringContent,
};
