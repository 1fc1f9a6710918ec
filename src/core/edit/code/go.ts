// grpc-go edits: a DialOption appended to the call (keeping gofmt's one-option-per-line layout), the age
// fields of keepalive.ServerParameters, and imports added to the file's grouped import block.
import type { ChannelSetting, CodeEditBuilder } from './index.js';
import { serviceConfigSelecting } from '../../facts/grpc/service-config.js';
import { appendItem, insertAt, replace, replaceStringContent } from './list.js';

function dialOption(setting: ChannelSetting): string {
  return `grpc.WithDefaultServiceConfig(\`${serviceConfigSelecting(setting.policy)}\`)`;
}

/** `5 * time.Minute` for whole minutes, else `n * time.Second`. */
function goDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} * time.Minute` : `${seconds} * time.Second`;
}

export const goEdits: CodeEditBuilder = {
  addChannelSetting(site, setting) {
    const list = site.options?.kind === 'list' ? site.options.list : undefined;
    // Nothing may follow `opts...`.
    if (!list || list.items[list.items.length - 1]?.spread) return undefined;
    return [appendItem(list, dialOption(setting), { ownLine: true })];
  },
  replaceWithChannelSetting: (at, setting) => [replace(at, dialOption(setting))],
  addServerSetting(site, setting, imports) {
    const fields = `MaxConnectionAge: ${goDuration(setting.ageSeconds)}${setting.graceSeconds === undefined ? '' : `, MaxConnectionAgeGrace: ${goDuration(setting.graceSeconds)}`}`;
    if (site.ageOptions)
      return [appendItem(site.ageOptions, fields, { ownLine: true }), ...goEdits.addImports(imports, [{ module: 'time' }])];
    const args = site.options?.kind === 'list' ? site.options.list : undefined;
    if (!args || args.items.some((item) => item.spread)) return undefined;
    // First among the arguments: there is no layout to follow, and the options after it keep theirs.
    const option = `grpc.KeepaliveParams(keepalive.ServerParameters{${fields}})`;
    return [
      insertAt(args.at[0] + 1, args.items.length > 0 ? `${option}, ` : option),
      ...goEdits.addImports(imports, [{ module: 'google.golang.org/grpc/keepalive' }, { module: 'time' }]),
    ];
  },
  addImports(imports, requests) {
    const missing = [...new Set(requests.map((r) => r.module))].filter((m) => !imports.entries.some((e) => e.module === m));
    if (missing.length === 0) return [];
    const lines = missing.map((p) => `\t"${p}"\n`).join('');
    if (imports.groupClose !== undefined) return [insertAt(imports.groupClose, lines)];
    return [insertAt(imports.lastImportEnd ?? imports.headerEnd, `\n\nimport (\n${lines})`)];
  },
  replaceStringContent,
};
