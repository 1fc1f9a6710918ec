import rule from '../../rules/sleep-action-version.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const withSleep = (seconds: number) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api}
  spec:
    template:
      spec:
        containers:
          - name: api
            lifecycle:
              preStop:
                sleep:
                  seconds: ${seconds}
`;

runRuleTests(rule, {
  valid: [
    { name: 'sleep on 1.30 (beta, on by default)', files: { 'd.yaml': withSleep(5) }, options: { kubernetesVersion: '1.30' } },
    { name: 'zero sleep on 1.33', files: { 'd.yaml': withSleep(0) }, options: { kubernetesVersion: '1.33' } },
    {
      name: 'exec sleep on 1.27',
      files: { 'd.yaml': withSleep(5).replace(/sleep:\n\s+seconds: 5/, 'exec: {command: [sleep, "5"]}') },
      options: { kubernetesVersion: '1.27' },
    },
  ],
  invalid: [
    {
      name: '1.28 rejects the sleep action; suggestion swaps in an exec sleep at the same indent',
      options: { kubernetesVersion: '1.28' },
      files: { 'd.yaml': withSleep(5) },
      output: null,
      errors: [
        {
          messageId: 'unsupported',
          line: 11,
          column: 15,
          endLine: 11,
          endColumn: 20,
          message:
            "The preStop sleep action of container 'api' is rejected by Kubernetes 1.28. The sleep action exists from 1.29 (on by default from 1.30).",
          suggestions: [
            {
              messageId: 'useExec',
              output: {
                'd.yaml': yaml`
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: api}
                  spec:
                    template:
                      spec:
                        containers:
                          - name: api
                            lifecycle:
                              preStop:
                                exec:
                                  command: [sleep, "5"]
                `,
              },
            },
          ],
        },
      ],
    },
    {
      name: '1.29: alpha gate off by default, the API server silently drops the handler (facts A3)',
      options: { kubernetesVersion: '1.29' },
      files: { 'd.yaml': withSleep(5) },
      errors: [
        {
          messageId: 'alpha',
          line: 11,
          column: 15,
          endLine: 11,
          endColumn: 20,
          message:
            "The preStop sleep action of container 'api' is silently dropped on Kubernetes 1.29. The gate PodLifecycleSleepAction is off by default there: the API server strips the handler and the pod runs without the delay.",
        },
      ],
    },
    {
      name: 'zero seconds on 1.32 (AllowZero alpha, off); suggestion: 1 second (facts A4)',
      options: { kubernetesVersion: '1.32' },
      files: { 'd.yaml': withSleep(0) },
      errors: [
        {
          messageId: 'zero',
          line: 12,
          column: 26,
          endLine: 12,
          endColumn: 27,
          suggestions: [{ messageId: 'useOneSecond', output: { 'd.yaml': withSleep(1) } }],
        },
      ],
    },
  ],
});
