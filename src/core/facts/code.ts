// One parse and one walk per code file, shared by the extractors that read code (grpc/ and servers/): the tree is
// parsed the first time one of them asks, and extractFacts frees it once every extractor has run.
import type { Tree } from 'web-tree-sitter';
import { tableOf } from './grpc/index.js';
import { walkCode, type CodeWalk } from './grpc/walk.js';
import { serverReaders } from './servers/index.js';
import { parse } from './treesitter.js';

export class CodeFile {
  private tree: Tree | undefined;
  private walked: CodeWalk | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** The file's walk, with the server reader's extras; throws for a file in no language the readers know. */
  walk(): CodeWalk {
    if (this.walked) return this.walked;
    const found = tableOf(this.file);
    if (!found) throw new Error(`kubeconn: ${this.file} is in no language the code readers know`);
    // A walk that threw (reported by the extractor that asked) is retried on the same tree by the next one.
    this.tree ??= parse(found.grammar, this.text);
    this.walked = walkCode(found.table, this.tree.rootNode, this.text, serverReaders[found.table.language]);
    return this.walked;
  }

  /** Free the tree (wasm memory is not garbage-collected); the walk's nodes are dead after this. */
  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.walked = undefined;
  }
}
