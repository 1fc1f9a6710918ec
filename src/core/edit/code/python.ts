// grpcio edits: channel-arg tuples added to an `options=[…]` list (or a new `options=` keyword), and imports.
import { CHANNEL_ARG } from '../../facts/grpc/channel-args.js';
import type { OptionsLayout } from '../../facts/grpc/index.js';
import { serviceConfigSelecting } from '../../facts/grpc/service-config.js';
import type { ChannelSetting, CodeEdit, CodeEditBuilder } from './index.js';
import { addImportLines, appendItem, hasImport, replace, replaceStringContent } from './list.js';

function channelArg(setting: ChannelSetting): string {
  return `("${CHANNEL_ARG.serviceConfig}", '${serviceConfigSelecting(setting.policy)}')`;
}

/** Entries appended to the options list or tuple, or a new `options=[…]` keyword argument. */
function addToOptions(options: OptionsLayout | undefined, entries: string): CodeEdit[] | undefined {
  if (options?.kind === 'list') return [appendItem(options.list, entries, { trailingCommaWhenAlone: options.list.open === '(' })];
  if (options?.kind === 'none') return [appendItem(options.args, `options=[${entries}]`)];
  return undefined;
}

export const pythonEdits: CodeEditBuilder = {
  addChannelSetting: (site, setting) => addToOptions(site.options, channelArg(setting)),
  replaceWithChannelSetting: (at, setting) => [replace(at, channelArg(setting))],
  addServerSetting: (site, s) =>
    addToOptions(
      site.options,
      `("${CHANNEL_ARG.maxConnectionAge}", ${s.ageSeconds * 1000})${s.graceSeconds === undefined ? '' : `, ("${CHANNEL_ARG.maxConnectionAgeGrace}", ${s.graceSeconds * 1000})`}`,
    ),
  addImports: (imports, requests) =>
    addImportLines(
      imports,
      requests
        // `from m import a` does not bind `m`: a plain `import m` is satisfied only by another `import m`.
        .filter((r) =>
          r.names?.length ? !hasImport(imports, r.module, r.names) : !imports.entries.some((e) => e.module === r.module && !e.names),
        )
        .map((r) => (r.names?.length ? `from ${r.module} import ${r.names.join(', ')}` : `import ${r.module}`)),
    ),
  replaceStringContent,
};
