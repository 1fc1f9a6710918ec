// grpc-java edits: builder calls chained right after the channel or server factory call, and imports.
import type { ChannelSetting, CodeEditBuilder } from './index.js';
import { addImportLines, insertAt, replace, replaceStringContent } from './list.js';

function builderCall(setting: ChannelSetting): string {
  return `defaultLoadBalancingPolicy("${setting.policy}")`;
}

export const javaEdits: CodeEditBuilder = {
  addChannelSetting: (site, setting) =>
    site.options?.kind === 'chain' ? [insertAt(site.options.end, `.${builderCall(setting)}`)] : undefined,
  replaceWithChannelSetting: (at, setting) => [replace(at, builderCall(setting))],
  addServerSetting(site, s, imports) {
    if (site.options?.kind !== 'chain') return undefined;
    const calls = `.maxConnectionAge(${s.ageSeconds}, TimeUnit.SECONDS)${s.graceSeconds === undefined ? '' : `.maxConnectionAgeGrace(${s.graceSeconds}, TimeUnit.SECONDS)`}`;
    return [insertAt(site.options.end, calls), ...javaEdits.addImports(imports, [{ module: 'java.util.concurrent.TimeUnit' }])];
  },
  addImports(imports, requests) {
    // `import a.b.*;` covers every type of a.b.
    const has = (type: string) =>
      imports.entries.some((e) => e.module === type || e.module === `${type.slice(0, type.lastIndexOf('.'))}.*`);
    return addImportLines(
      imports,
      requests.filter((r) => !has(r.module)).map((r) => `import ${r.module};`),
    );
  },
  replaceStringContent,
};
