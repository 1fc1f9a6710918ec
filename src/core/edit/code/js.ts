// grpc-js edits: pairs added to a channel or server options object (or a new options argument), and imports
// (ES `import … from` or CommonJS `require`, as the file does).
import { CHANNEL_ARG } from '../../facts/grpc/channel-args.js';
import { serviceConfigSelecting } from '../../facts/grpc/service-config.js';
import type { ChannelSetting, CodeEditBuilder } from './index.js';
import { addImportLines, appendItem, hasImport, replace, replaceStringContent } from './list.js';

function optionPair(setting: ChannelSetting): string {
  return `'${CHANNEL_ARG.serviceConfig}': '${serviceConfigSelecting(setting.policy)}'`;
}

const OBJECT = { ownLine: true, padEmpty: true };

export const jsEdits: CodeEditBuilder = {
  addChannelSetting(site, setting) {
    const options = site.options;
    if (options?.kind === 'list') return [appendItem(options.list, optionPair(setting), OBJECT)];
    // Clients take (target, credentials, options): without the credentials there is no third place.
    if (options?.kind === 'none' && options.args.items.length >= 2) return [appendItem(options.args, `{ ${optionPair(setting)} }`)];
    return undefined;
  },
  replaceWithChannelSetting: (at, setting) => [replace(at, optionPair(setting))],
  addServerSetting(site, s) {
    const pairs = `'${CHANNEL_ARG.maxConnectionAge}': ${s.ageSeconds * 1000}${s.graceSeconds === undefined ? '' : `, '${CHANNEL_ARG.maxConnectionAgeGrace}': ${s.graceSeconds * 1000}`}`;
    const options = site.options;
    if (options?.kind === 'list') return [appendItem(options.list, pairs, OBJECT)];
    if (options?.kind === 'none') return [appendItem(options.args, `{ ${pairs} }`)];
    return undefined;
  },
  addImports(imports, requests) {
    const lines = requests
      .filter((r) => !hasImport(imports, r.module, r.names))
      .map((r) => {
        const names = r.names?.length ? `{ ${r.names.join(', ')} }` : undefined;
        if (imports.commonJs) return names ? `const ${names} = require('${r.module}');` : `require('${r.module}');`;
        return names ? `import ${names} from '${r.module}';` : `import '${r.module}';`;
      });
    return addImportLines(imports, lines);
  },
  replaceStringContent,
};
