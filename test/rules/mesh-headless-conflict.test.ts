import rule from '../../rules/mesh-headless-conflict.js';
import { runRuleTests, type InvalidCase } from '../helpers/rule-tester.js';
import { app, client, LANGS, quoted, spanOf } from './grpc-k8s.js';

const linkerd = { 'linkerd.io/inject': 'enabled' };
const headlessMeshed = app({ name: 'orders', headless: true, portName: 'grpc', podAnnotations: linkerd });
const target = 'dns:///orders:50051';

const perLanguage: InvalidCase[] = LANGS.map((lang) => {
  const c = client(lang, target, { rr: true });
  return {
    name: `${lang}: dials a headless Service whose pods are in Linkerd`,
    files: { [c.file]: c.text, 'k8s/orders.yaml': headlessMeshed },
    errors: [{ messageId: 'headlessInMesh', ...spanOf(c.text, quoted(lang, target)) }],
  };
});

const go = client('go', target, { rr: true });
const sibling = `apiVersion: v1
kind: Service
metadata:
  name: orders-vip
spec:
  selector:
    app: orders
  ports:
    - name: grpc
      port: 50051
`;

runRuleTests(rule, {
  valid: [
    { name: 'no mesh: headless is the right call', files: { [go.file]: go.text, 'k8s/orders.yaml': app({ name: 'orders', headless: true }) } },
    { name: 'mesh with the ClusterIP Service', files: { [go.file]: go.text, 'k8s/orders.yaml': app({ name: 'orders', podAnnotations: linkerd }) } },
  ],
  invalid: [
    ...perLanguage,
    {
      name: 'meshed client; a ClusterIP sibling exists, the suggestion dials it',
      files: {
        'frontend/main.go': go.text,
        'k8s/orders.yaml': app({ name: 'orders', headless: true, portName: 'grpc' }),
        'k8s/orders-vip.yaml': sibling,
        'k8s/frontend.yaml': app({ name: 'frontend', port: 80, podAnnotations: { 'sidecar.istio.io/inject': 'true' } }),
      },
      errors: [
        {
          messageId: 'headlessInMesh',
          ...spanOf(go.text, `"${target}"`),
          suggestions: [{ messageId: 'useClusterIp', output: { 'frontend/main.go': go.text.replace(target, 'orders-vip:50051') } }],
        },
      ],
    },
  ],
});
