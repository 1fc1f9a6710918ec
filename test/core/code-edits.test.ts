// The code edit builders (src/core/edit/code/), one language at a time: each reads the layout the facts
// describe and must produce exactly the text a person would write — an option added to a one-line call and
// to a multi-line one, an import added to an existing import block and to a file without one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeEditBuilder, type CodeEdit, type ImportRequest } from '../../src/core/edit/code/index.js';
import { appendItem } from '../../src/core/edit/code/list.js';
import { applyEdits } from '../../src/core/edit.js';
import type { GrpcFacts, ListLayout } from '../../src/core/facts/grpc/index.js';
import { extractFacts } from '../../src/core/facts/index.js';
import { initKubeconn } from '../../src/core/init.js';
import { resolveOptions } from '../../src/core/options.js';
import { code } from '../helpers/rule-tester.js';

const RR = '{"loadBalancingConfig":[{"round_robin":{}}]}';
const ROUND_ROBIN = { kind: 'lbPolicy', policy: 'round_robin' } as const;
const AGE = { kind: 'maxConnectionAge', ageSeconds: 300, graceSeconds: 10 } as const;

async function factsOf(file: string, text: string): Promise<GrpcFacts> {
  await initKubeconn();
  const grpc = extractFacts(file, text, resolveOptions()).grpc;
  assert.ok(grpc, `no gRPC facts in ${file}`);
  return grpc;
}

function applied(text: string, edits: CodeEdit[] | undefined): string {
  assert.ok(edits, 'expected edits');
  return applyEdits(text, edits);
}

/** The file after adding round_robin to its first dial site. */
async function withRoundRobin(file: string, text: string): Promise<string> {
  const facts = await factsOf(file, text);
  return applied(text, codeEditBuilder(facts.language).addChannelSetting(facts.dials[0]!, ROUND_ROBIN));
}

async function withAge(file: string, text: string): Promise<string> {
  const facts = await factsOf(file, text);
  return applied(text, codeEditBuilder(facts.language).addServerSetting(facts.servers[0]!, AGE, facts.imports));
}

async function withImports(file: string, text: string, requests: ImportRequest[]): Promise<string> {
  const facts = await factsOf(file, text);
  return applied(text, codeEditBuilder(facts.language).addImports(facts.imports, requests));
}

describe('code edit builders', () => {
  describe('go', () => {
    it('adds a DialOption to a one-line call', async () => {
      const text =
        'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("orders:50051", grpc.WithTransportCredentials(creds)) }\n';
      assert.equal(await withRoundRobin('main.go', text), text.replace('(creds))', `(creds), grpc.WithDefaultServiceConfig(\`${RR}\`))`));
    });

    it('puts it on its own line in a multi-line call, before the trailing comma', async () => {
      const text = code`
        package main

        import "google.golang.org/grpc"

        func main() {
        	conn, _ := grpc.NewClient(
        		"orders:50051",
        		grpc.WithTransportCredentials(creds),
        	)
        }
      `;
      assert.equal(
        await withRoundRobin('main.go', text),
        text.replace('(creds),\n', `(creds),\n\t\tgrpc.WithDefaultServiceConfig(\`${RR}\`),\n`),
      );
    });

    it('adds nothing after opts...', async () => {
      const facts = await factsOf(
        'main.go',
        'package main\n\nimport "google.golang.org/grpc"\n\nfunc dial(opts ...grpc.DialOption) { grpc.NewClient("orders:50051", opts...) }\n',
      );
      assert.equal(codeEditBuilder('go').addChannelSetting(facts.dials[0]!, ROUND_ROBIN), undefined);
    });

    it('adds imports to the grouped import block', async () => {
      const text = code`
        package main

        import (
        	"context"

        	"google.golang.org/grpc"
        )

        func main() { grpc.NewServer() }
      `;
      assert.equal(
        await withImports('main.go', text, [{ module: 'context' }, { module: 'time' }]),
        text.replace('grpc"\n)', 'grpc"\n\t"time"\n)'),
      );
    });

    it('starts an import block after single imports', async () => {
      const text = 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewServer() }\n';
      assert.equal(await withImports('main.go', text, [{ module: 'time' }]), text.replace('grpc"\n', 'grpc"\n\nimport (\n\t"time"\n)\n'));
    });

    it('adds the age fields to a multi-line keepalive.ServerParameters, and the time import', async () => {
      const text = code`
        package main

        import (
        	"google.golang.org/grpc"
        	"google.golang.org/grpc/keepalive"
        )

        var params = keepalive.ServerParameters{
        	MaxConnectionIdle: idle,
        }

        func main() { grpc.NewServer(grpc.KeepaliveParams(params)) }
      `;
      assert.equal(
        await withAge('main.go', text),
        text
          .replace(
            'MaxConnectionIdle: idle,\n',
            'MaxConnectionIdle: idle,\n\tMaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 10 * time.Second,\n',
          )
          .replace('keepalive"\n)', 'keepalive"\n\t"time"\n)'),
      );
    });

    it('replaces a removed API call with a service config option', () => {
      const text = 'grpc.WithBalancerName("round_robin")';
      assert.equal(
        applied(text, codeEditBuilder('go').replaceWithChannelSetting([0, text.length], ROUND_ROBIN)),
        `grpc.WithDefaultServiceConfig(\`${RR}\`)`,
      );
    });
  });

  describe('python', () => {
    it('adds an options= keyword to a call without one', async () => {
      const text = 'import grpc\n\nchannel = grpc.insecure_channel("orders:50051")\n';
      assert.equal(await withRoundRobin('client.py', text), text.replace('50051")', `50051", options=[("grpc.service_config", '${RR}')])`));
    });

    it("appends to a multi-line options list on the last entry's line", async () => {
      const text = code`
        import grpc

        channel = grpc.insecure_channel(
            "orders:50051",
            options=[
                ("grpc.enable_retries", 1),
            ],
        )
      `;
      assert.equal(await withRoundRobin('client.py', text), text.replace('1),\n', `1), ("grpc.service_config", '${RR}'),\n`));
    });

    it('keeps an empty tuple a tuple', async () => {
      const text = 'import grpc\n\nchannel = grpc.insecure_channel("orders:50051", options=())\n';
      assert.equal(await withRoundRobin('client.py', text), text.replace('options=()', `options=(("grpc.service_config", '${RR}'),)`));
    });

    it('adds imports after the last import, skipping what is there', async () => {
      const text = 'import os\n\nimport grpc\n\nserver = grpc.server(pool)\n';
      assert.equal(
        await withImports('server.py', text, [{ module: 'grpc' }, { module: 'json' }, { module: 'concurrent', names: ['futures'] }]),
        text.replace('import grpc\n', 'import grpc\nimport json\nfrom concurrent import futures\n'),
      );
    });

    it('adds an import after the module docstring when there is none', async () => {
      const text = '"""Orders server."""\n\nserver = grpc.server(pool)\n';
      assert.equal(await withImports('server.py', text, [{ module: 'grpc' }]), text.replace('"""\n', '"""\nimport grpc\n'));
    });

    it('adds the age channel args to grpc.server', async () => {
      const text = 'import grpc\n\nserver = grpc.server(pool)\n';
      assert.equal(
        await withAge('server.py', text),
        text.replace('(pool)', '(pool, options=[("grpc.max_connection_age_ms", 300000), ("grpc.max_connection_age_grace_ms", 10000)])'),
      );
    });
  });

  describe('js', () => {
    const header = "import * as grpc from '@grpc/grpc-js';\n\nconst creds = grpc.credentials.createInsecure();\n";

    it('adds an options object after the credentials', async () => {
      const text = `${header}const client = new OrdersClient('orders:50051', creds);\n`;
      assert.equal(await withRoundRobin('client.ts', text), text.replace('creds);', `creds, { 'grpc.service_config': '${RR}' });`));
    });

    it('puts the pair on its own line in a multi-line options object', async () => {
      const text = `${header}const client = new OrdersClient('orders:50051', creds, {\n  'grpc.keepalive_time_ms': 10000,\n});\n`;
      assert.equal(await withRoundRobin('client.ts', text), text.replace('10000,\n', `10000,\n  'grpc.service_config': '${RR}',\n`));
    });

    it('fills an empty object', async () => {
      const text = `${header}const client = new OrdersClient('orders:50051', creds, {});\n`;
      assert.equal(await withRoundRobin('client.ts', text), text.replace('{})', `{ 'grpc.service_config': '${RR}' })`));
    });

    it('adds an ES import after the last import', async () => {
      const text = `${header}const client = new OrdersClient('orders:50051', creds);\n`;
      assert.equal(
        await withImports('client.ts', text, [{ module: 'node:fs', names: ['readFileSync'] }]),
        text.replace("grpc-js';\n", "grpc-js';\nimport { readFileSync } from 'node:fs';\n"),
      );
    });

    it('adds a require to a CommonJS file', async () => {
      const text = "'use strict';\nconst grpc = require('@grpc/grpc-js');\n\nconst server = new grpc.Server();\n";
      assert.equal(
        await withImports('server.js', text, [{ module: '@grpc/grpc-js' }, { module: 'node:fs', names: ['readFileSync'] }]),
        text.replace("grpc-js');\n", "grpc-js');\nconst { readFileSync } = require('node:fs');\n"),
      );
    });

    it('adds the age options to new grpc.Server()', async () => {
      const text = "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\n";
      assert.equal(
        await withAge('server.js', text),
        text.replace('Server()', "Server({ 'grpc.max_connection_age_ms': 300000, 'grpc.max_connection_age_grace_ms': 10000 })"),
      );
    });
  });

  describe('java', () => {
    it('chains defaultLoadBalancingPolicy right after the factory call, also in a multi-line chain', async () => {
      const text = code`
        import io.grpc.ManagedChannelBuilder;

        class Client {
          void run() {
            var channel = ManagedChannelBuilder
                .forTarget("orders:50051")
                .usePlaintext()
                .build();
          }
        }
      `;
      assert.equal(
        await withRoundRobin('Client.java', text),
        text.replace('("orders:50051")', '("orders:50051").defaultLoadBalancingPolicy("round_robin")'),
      );
    });

    it('adds an import after the last one, unless a wildcard covers it', async () => {
      const text =
        'package shop;\n\nimport io.grpc.netty.NettyServerBuilder;\n\nclass Main { void run() { NettyServerBuilder.forPort(50051).build(); } }\n';
      const request = [{ module: 'java.util.concurrent.TimeUnit' }];
      assert.equal(
        await withImports('Main.java', text, request),
        text.replace('NettyServerBuilder;\n', 'NettyServerBuilder;\nimport java.util.concurrent.TimeUnit;\n'),
      );
      const covered = text.replace('\n\nclass', '\nimport java.util.concurrent.*;\n\nclass');
      assert.equal(await withImports('Main.java', covered, request), covered);
    });

    it('adds an import after the package declaration when there is none', async () => {
      const text = 'package shop;\n\n// Serves io.grpc.\nclass Main { void run() { NettyServerBuilder.forPort(50051).build(); } }\n';
      assert.equal(
        await withImports('Main.java', text, [{ module: 'java.util.concurrent.TimeUnit' }]),
        text.replace('shop;\n', 'shop;\nimport java.util.concurrent.TimeUnit;\n'),
      );
    });

    it('sets the age on a NettyServerBuilder, with the TimeUnit import', async () => {
      const text = 'import io.grpc.netty.NettyServerBuilder;\n\nclass Main { void run() { NettyServerBuilder.forPort(50051).build(); } }\n';
      assert.equal(
        await withAge('Main.java', text),
        text
          .replace('(50051)', '(50051).maxConnectionAge(300, TimeUnit.SECONDS).maxConnectionAgeGrace(10, TimeUnit.SECONDS)')
          .replace('NettyServerBuilder;\n', 'NettyServerBuilder;\nimport java.util.concurrent.TimeUnit;\n'),
      );
    });
  });

  describe('csharp', () => {
    it('adds GrpcChannelOptions to ForAddress(address)', async () => {
      const text = 'using Grpc.Net.Client;\n\nvar channel = GrpcChannel.ForAddress("dns:///orders:50051");\n';
      assert.equal(
        await withRoundRobin('Client.cs', text),
        text.replace(
          '50051")',
          '50051", new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } })',
        ),
      );
    });

    it('puts the ServiceConfig on its own line in a multi-line initializer', async () => {
      const text = code`
        using Grpc.Net.Client;

        var channel = GrpcChannel.ForAddress("dns:///orders:50051", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
        });
      `;
      assert.equal(
        await withRoundRobin('Client.cs', text),
        text.replace(
          'Insecure,\n',
          'Insecure,\n    ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },\n',
        ),
      );
    });

    it('adds no second ServiceConfig to an initializer that already chooses a policy', async () => {
      const text =
        'var channel = GrpcChannel.ForAddress("dns:///orders:50051", new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } } });\n';
      const facts = await factsOf('Client.cs', text);
      assert.equal(codeEditBuilder('csharp').addChannelSetting(facts.dials[0]!, ROUND_ROBIN), undefined);
    });

    it('adds a using directive after the last one', async () => {
      const text = 'using System;\nusing Grpc.Net.Client;\n\nvar channel = GrpcChannel.ForAddress("dns:///orders:50051");\n';
      assert.equal(
        await withImports('Client.cs', text, [{ module: 'System' }, { module: 'Grpc.Net.Client.Configuration' }]),
        text.replace('Client;\n', 'Client;\nusing Grpc.Net.Client.Configuration;\n'),
      );
    });

    it('has no max connection age to set on ASP.NET Core', async () => {
      const facts = await factsOf('Program.cs', '// Grpc.AspNetCore\napp.MapGrpcService<OrdersService>();\n');
      assert.equal(codeEditBuilder('csharp').addServerSetting(facts.servers[0]!, AGE, facts.imports), undefined);
    });
  });

  describe('shared', () => {
    const list = (items: [number, number][], multiline = false): ListLayout => ({
      at: [0, 20],
      open: '{',
      items: items.map((at) => ({ at })),
      multiline,
      indent: '    ',
    });

    it('appends to lists by the style each language asks for', () => {
      assert.deepEqual(appendItem(list([]), 'x'), { start: 1, end: 1, text: 'x' });
      assert.deepEqual(appendItem(list([]), 'x', { padEmpty: true }), { start: 1, end: 19, text: ' x ' });
      assert.deepEqual(appendItem(list([]), 'x', { trailingCommaWhenAlone: true }), { start: 1, end: 1, text: 'x,' });
      assert.deepEqual(appendItem(list([[2, 5]], true), 'x'), { start: 5, end: 5, text: ', x' });
      assert.deepEqual(appendItem(list([[2, 5]], true), 'x', { ownLine: true }), { start: 5, end: 5, text: ',\n    x' });
    });

    it('rewrites a target literal only with text that needs no escaping', () => {
      for (const language of ['go', 'python', 'js', 'java', 'csharp'] as const) {
        const builder = codeEditBuilder(language);
        assert.deepEqual(builder.replaceStringContent([1, 5], 'dns:///orders.shop.svc.cluster.local:50051'), [
          { start: 1, end: 5, text: 'dns:///orders.shop.svc.cluster.local:50051' },
        ]);
        assert.equal(builder.replaceStringContent([1, 5], 'say "hi"'), undefined);
      }
    });
  });
});
