import rule from '../../rules/kuberesolver-rbac.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { app, spanOf } from './grpc-k8s.js';

const goClient = (version: string) =>
  `package main\n\nimport (\n\t"github.com/sercand/kuberesolver${version}"\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tkuberesolver.RegisterInCluster()\n\tgrpc.NewClient("kubernetes:///orders.shop:grpc")\n}\n`;
const orders = app({ name: 'orders', namespace: 'shop', portName: 'grpc' });
const frontend = app({ name: 'frontend', namespace: 'shop', port: 8080, serviceAccountName: 'frontend' });
const role = (resources: string, group: string, verbs: string, kind = 'Role') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: reader
  namespace: shop
rules:
  - apiGroups: ["${group}"]
    resources: [${resources}]
    verbs: [${verbs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}Binding
metadata:
  name: reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ${kind}
  name: reader
subjects:
  - kind: ServiceAccount
    name: frontend
    namespace: shop
`;

const generated = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: frontend-kuberesolver
  namespace: shop
rules:
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: frontend-kuberesolver
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: frontend-kuberesolver
subjects:
  - kind: ServiceAccount
    name: frontend
    namespace: shop
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'v6 with list+watch on endpointslices',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/frontend.yaml': frontend,
        'k8s/rbac.yaml': role('endpointslices', 'discovery.k8s.io', 'get, list, watch'),
        'frontend/main.go': goClient('/v6'),
      },
    },
    {
      name: 'v5 with a ClusterRole on endpoints',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/frontend.yaml': frontend,
        'k8s/rbac.yaml': role('endpoints', '', 'list, watch', 'ClusterRole'),
        'frontend/main.go': goClient('/v5'),
      },
    },
    { name: 'client code runs in no known workload', files: { 'k8s/orders.yaml': orders, 'tools/main.go': goClient('/v6') } },
  ],
  invalid: [
    {
      name: 'v6 without any binding in the repository: a warning (the RBAC may live elsewhere); the suggestion adds Role and RoleBinding',
      files: { 'frontend/main.go': goClient('/v6'), 'k8s/orders.yaml': orders, 'k8s/frontend.yaml': frontend },
      errors: [
        {
          messageId: 'forbidden',
          ...spanOf(goClient('/v6'), '"kubernetes:///orders.shop:grpc"'),
          severity: 'warning',
          related: ['k8s/frontend.yaml:16:9', 'k8s/orders.yaml:4:9'],
          suggestions: [{ messageId: 'addRole', output: { 'k8s/frontend.yaml': `${frontend}${generated}` } }],
        },
      ],
    },
    {
      name: 'v6 with a bound Role on endpoints only (v5 resource): an error',
      files: {
        'frontend/main.go': goClient('/v6'),
        'k8s/orders.yaml': orders,
        'k8s/frontend.yaml': frontend,
        'k8s/rbac.yaml': role('endpoints', '', 'get, list, watch'),
      },
      errors: [
        {
          messageId: 'forbidden',
          ...spanOf(goClient('/v6'), '"kubernetes:///orders.shop:grpc"'),
          severity: 'error',
          message:
            "kuberesolver v6 in Deployment 'frontend' cannot list and watch endpointslices in 'shop'. It needs both, and the roles bound to ServiceAccount 'frontend' in the repository do not grant them; without them resolution fails with 403 and the channel gets no address.",
        },
      ],
    },
    {
      name: 'get without list',
      files: {
        'frontend/main.go': goClient('/v6'),
        'k8s/orders.yaml': orders,
        'k8s/frontend.yaml': frontend,
        'k8s/rbac.yaml': role('endpointslices', 'discovery.k8s.io', 'get, watch'),
      },
      errors: [{ messageId: 'forbidden', ...spanOf(goClient('/v6'), '"kubernetes:///orders.shop:grpc"') }],
    },
  ],
});
