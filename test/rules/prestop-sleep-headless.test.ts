// prestop-sleep on workloads addressed by pod (real-repository trial: kube-thanos' store and receive StatefulSets
// sit behind headless Services only, and their clients dial pod DNS names): no kube-proxy endpoint lag, only
// client DNS caches, so an info (facts §3.1); behind a ClusterIP Service it stays a warning.
import rule from '../../rules/prestop-sleep.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const sts = yaml`
  apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: store}
  spec:
    serviceName: store
    template:
      metadata: {labels: {app: store}}
      spec:
        containers:
          - name: store
            image: quay.io/thanos/thanos:v0.37.2
            ports: [{name: grpc, containerPort: 10901}]
`;
const svc = (headless: boolean) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: store${headless ? '' : '-vip'}}\nspec:\n${headless ? '  clusterIP: None\n' : ''}  selector: {app: store}\n  ports: [{name: grpc, port: 10901, targetPort: grpc}]\n`;
const fixed = sts.replace(
  'ports: [{name: grpc, containerPort: 10901}]\n',
  'ports: [{name: grpc, containerPort: 10901}]\n          lifecycle:\n            preStop:\n              sleep:\n                seconds: 5\n',
);
const at = { file: 'sts.yaml', messageId: 'missing', line: 10, column: 11, endLine: 10, endColumn: 22 };

runRuleTests(rule, {
  valid: [],
  invalid: [
    {
      name: 'a StatefulSet behind a headless Service only: info',
      files: { 'sts.yaml': sts, 'svc.yaml': svc(true) },
      errors: [{ ...at, severity: 'info' }],
      output: { 'sts.yaml': fixed },
    },
    {
      name: 'the same StatefulSet also behind a ClusterIP Service: warning',
      files: { 'sts.yaml': sts, 'svc.yaml': svc(true), 'vip.yaml': svc(false) },
      errors: [{ ...at, severity: 'warning' }],
      output: { 'sts.yaml': fixed },
    },
  ],
});
