// Progress of a long CLI run on stderr: one line rewritten in place ("kubeconn: reading 1200/5000 files"),
// shown only when stderr is a terminal and only once the run has taken a few seconds, and erased before the
// report is written. The report itself (stylish, JSON, SARIF on stdout or a file) never contains it. The
// analysis is synchronous, so the line is updated from the work loop, at most every 100 ms.
import type { AnalysisResult, AnalyzeOptions, Workspace } from '../api.js';

/** How long a run goes before progress appears (KUBECONN_PROGRESS_AFTER_MS overrides it, for tests). */
const AFTER_MS = Number(process.env.KUBECONN_PROGRESS_AFTER_MS ?? 2000);

export class Progress {
  private readonly started = performance.now();
  private lastWrite = 0;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY;
  }

  /** `phase`: the first line of a new phase, written even within 100 ms of the last one. */
  update(message: string, phase = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.started < AFTER_MS || (!phase && now - this.lastWrite < 100)) return;
    this.lastWrite = now;
    this.shown = true;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    this.stream.write(`\r\x1b[K${`kubeconn: ${message}`.slice(0, width)}`);
  }

  /** The analysis step by step (linking, then each rule), reporting which rule runs. */
  analyze(ws: Workspace, what = 'analysing', options?: AnalyzeOptions): AnalysisResult {
    const steps = ws.analyzeSteps(options);
    const total = ws.rules.length;
    let done = 0;
    this.update(`${what}: linking ${ws.files().length} files`, true);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      if (step.value !== 'model') done++;
      this.update(`${what}: ${done}/${total} rules`, done === 1);
    }
  }

  /** Erase the line (before the report is written). */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
