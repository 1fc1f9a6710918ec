#!/usr/bin/env node
// The kubeconn CLI (compiled from src/cli/main.ts; run `npm run build` in a checkout).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
