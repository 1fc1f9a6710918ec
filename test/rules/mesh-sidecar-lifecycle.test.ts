// mesh-sidecar-lifecycle: Istio's terminationDrainDuration (pod annotation, mesh config, default 5 s), its
// EXIT_ON_ZERO_ACTIVE_CONNECTIONS and native sidecars, Linkerd's proxy-wait-before-exit-seconds (pod or
// namespace), against the app's preStop delay plus its drain settings; exact positions and annotation fixes.
import rule from '../../rules/mesh-sidecar-lifecycle.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';
import { configMap, deploymentName, web } from './servers-k8s.js';

const istio = { 'sidecar.istio.io/inject': 'true' };
const linkerdNamespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    linkerd.io/inject: enabled\n';
const blockConfig = (lines: string) =>
  web({ annotations: istio, preStop: 5, command: '["gunicorn", "--graceful-timeout", "20", "app:app"]' }).replace(
    '        sidecar.istio.io/inject: "true"',
    `        sidecar.istio.io/inject: "true"\n        proxy.istio.io/config: |\n${lines}`,
  );

runRuleTests(rule, {
  valid: [
    { name: 'a 3 s preStop fits the 5 s default', files: { 'k8s/web.yaml': web({ annotations: istio, preStop: 3 }) } },
    {
      name: 'terminationDrainDuration covers preStop + drain',
      files: { 'k8s/web.yaml': blockConfig('          terminationDrainDuration: 30s') },
    },
    {
      name: 'EXIT_ON_ZERO_ACTIVE_CONNECTIONS waits for the connections',
      files: { 'k8s/web.yaml': blockConfig('          proxyMetadata:\n            EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true"') },
    },
    {
      name: 'Istio native sidecar',
      files: { 'k8s/web.yaml': web({ annotations: { ...istio, 'sidecar.istio.io/nativeSidecar': 'true' }, preStop: 20 }) },
    },
    {
      name: 'Linkerd native sidecar',
      files: {
        'k8s/web.yaml': web({
          annotations: { 'linkerd.io/inject': 'enabled', 'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true' },
          preStop: 20,
        }),
      },
    },
    {
      name: 'ambient mode has no sidecar',
      files: { 'k8s/web.yaml': web({ annotations: { 'istio.io/dataplane-mode': 'ambient' }, preStop: 20 }) },
    },
    { name: 'no mesh', files: { 'k8s/web.yaml': web({ preStop: 20 }) } },
    {
      name: 'the mesh config raises the default',
      files: {
        'k8s/web.yaml': web({ annotations: istio, preStop: 20 }),
        'k8s/istio.yaml': configMap('istio', { mesh: 'defaultConfig:\n  terminationDrainDuration: 60s\n' }),
      },
    },
  ],
  invalid: [
    {
      name: 'Istio default 5 s against a 10 s preStop: the annotation is added',
      files: { 'k8s/web.yaml': web({ annotations: istio, preStop: 10 }) },
      errors: [
        {
          messageId: 'istio',
          ...deploymentName(web({ annotations: istio, preStop: 10 })),
          message:
            "The istio-proxy sidecar of Deployment 'web' exits before the app is done: requests after 5s fail. It exits 5s after SIGTERM (the default), but the app needs 10s (preStop 10s). All containers get SIGTERM at once; pilot-agent drains for terminationDrainDuration and exits, then the app's inbound connections close and its outbound calls are refused.",
        },
      ],
      output: { 'k8s/web.yaml': web({ annotations: { ...istio, 'proxy.istio.io/config': 'terminationDrainDuration: 10s' }, preStop: 10 }) },
    },
    {
      name: "a block proxy config without the key gets a line; gunicorn's --graceful-timeout counts",
      files: { 'k8s/web.yaml': blockConfig('          holdApplicationUntilProxyStarts: true') },
      errors: [
        {
          messageId: 'istio',
          ...spanOf(blockConfig('          holdApplicationUntilProxyStarts: true'), '|\n          holdApplicationUntilProxyStarts: true'),
        },
      ],
      output: { 'k8s/web.yaml': blockConfig('          holdApplicationUntilProxyStarts: true\n          terminationDrainDuration: 25s') },
    },
    {
      name: 'terminationDrainDuration too short is replaced',
      files: { 'k8s/web.yaml': blockConfig('          terminationDrainDuration: 5s') },
      errors: [
        {
          messageId: 'istio',
          ...spanOf(blockConfig('          terminationDrainDuration: 5s'), '|\n          terminationDrainDuration: 5s'),
        },
      ],
      output: { 'k8s/web.yaml': blockConfig('          terminationDrainDuration: 25s') },
    },
    {
      name: 'Linkerd through the namespace: proxy-wait-before-exit-seconds is added to the pod',
      files: { 'k8s/web.yaml': web({ namespace: 'shop', preStop: 10 }), 'k8s/ns.yaml': linkerdNamespace },
      errors: [{ messageId: 'linkerd', ...deploymentName(web({ namespace: 'shop', preStop: 10 })), related: ['k8s/ns.yaml:4:9'] }],
      output: {
        'k8s/web.yaml': web({ namespace: 'shop', preStop: 10 }).replace(
          '      labels:\n        app: web\n',
          '      labels:\n        app: web\n      annotations:\n        config.alpha.linkerd.io/proxy-wait-before-exit-seconds: "10"\n',
        ),
      },
    },
    {
      name: 'a Linkerd wait shorter than the preStop is raised',
      files: {
        'k8s/web.yaml': web({
          annotations: { 'linkerd.io/inject': 'enabled', 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds': '5' },
          preStop: 10,
        }),
      },
      errors: [
        {
          messageId: 'linkerd',
          ...spanOf(
            web({
              annotations: { 'linkerd.io/inject': 'enabled', 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds': '5' },
              preStop: 10,
            }),
            '"5"',
          ),
        },
      ],
      output: {
        'k8s/web.yaml': web({
          annotations: { 'linkerd.io/inject': 'enabled', 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds': '10' },
          preStop: 10,
        }),
      },
    },
  ],
});
