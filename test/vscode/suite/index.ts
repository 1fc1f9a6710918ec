// The mocha suite the extension host loads (contract: README.md): tdd UI, one bundle, exit code from run().
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'kubeconn-vscode-suite', mocha);
  const grep = process.env.KUBECONN_SUITE_GREP;
  if (grep) mocha.grep(grep);
  await import('./activation.vscode-test.js');
  await import('./diagnostics.vscode-test.js');
  await import('./actions.vscode-test.js');
  await import('./catalog.vscode-test.js');
  await import('./settings.vscode-test.js');
  await import('./perf.vscode-test.js');
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
