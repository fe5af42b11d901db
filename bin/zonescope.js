#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli (compiled to dist/ by `npm install` through the prepare script).
import { runCli } from '../dist/src/cli/main.js';

runCli();
