import rule from '../../rules/mesh-headless-conflict.js';
import { runRuleTests, type InvalidCase } from '../helpers/rule-tester.js';
import { app, client, LANGS, quoted, spanOf } from './grpc-k8s.js';

const linkerd = { 'linkerd.io/inject': 'enabled' };
const headlessMeshed = app({ name: 'orders', headless: true, portName: 'grpc', podAnnotations: linkerd });
const target = 'dns:///orders:50051';

const perLanguage: InvalidCase[] = LANGS.flatMap((lang): InvalidCase[] => {
  const rr = client(lang, target, { rr: true });
  const pickFirst = client(lang, target);
  return [
    {
      name: `${lang}: round_robin over a headless Service whose pods are in Linkerd: only L7 features lost (facts A21), an info`,
      files: { [rr.file]: rr.text, 'k8s/orders.yaml': headlessMeshed },
      errors: [{ messageId: 'headlessRoundRobin', ...spanOf(rr.text, quoted(lang, target)), severity: 'info' }],
    },
    {
      name: `${lang}: pick_first over a headless Service in a mesh: one pod, a warning`,
      files: { [pickFirst.file]: pickFirst.text, 'k8s/orders.yaml': headlessMeshed },
      errors: [{ messageId: 'headlessInMesh', ...spanOf(pickFirst.text, quoted(lang, target)), severity: 'warning' }],
    },
  ];
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
    {
      name: 'no mesh: headless is the right call',
      files: { [go.file]: go.text, 'k8s/orders.yaml': app({ name: 'orders', headless: true }) },
    },
    {
      name: 'mesh with the ClusterIP Service',
      files: { [go.file]: go.text, 'k8s/orders.yaml': app({ name: 'orders', podAnnotations: linkerd }) },
    },
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
          messageId: 'headlessRoundRobin',
          ...spanOf(go.text, `"${target}"`),
          suggestions: [{ messageId: 'useClusterIp', output: { 'frontend/main.go': go.text.replace(target, 'orders-vip:50051') } }],
        },
      ],
    },
  ],
});
